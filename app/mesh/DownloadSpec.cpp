#include "app/mesh/DownloadSpec.h"

#include "app/QtStrings.h"

#include <QUrl>

#include "core/mesh/chunk_layout.h"

DownloadSpec DownloadSpec::forModel(const atmo::CatalogEntry& entry)
{
    DownloadSpec spec;
    spec.key = entry.modelId;
    spec.sizeBytes = entry.sizeBytes;
    spec.sha256 = entry.sha256;
    const QString id = QUrl::toPercentEncoding(q(entry.modelId));
    spec.urlPath = "/v1/models/download/" + id;
    spec.fileName = entry.modelId + "." + entry.format;
    spec.chunkListPath = "/v1/models/" + id + "/chunks";
    spec.entry = entry;
    return spec;
}

QString DownloadSpec::problem() const
{
    const QString id = q(key);
    if (!atmo::isValidModelId(key))
        return "\"" + id + "\" is not a valid model id";
    if (entry && (entry->format.empty() || !atmo::isValidModelId(entry->format)))
        return id + ": the catalog entry has no usable format";
    if (!atmo::isValidModelId(fileName))
        return id + ": \"" + q(fileName) + "\" is not a usable file name";
    if (!urlPath.startsWith('/'))
        return id + ": no path to download it from";
    if (!atmo::isSha256Hex(sha256))
        return id + ": the expected sha256 is not 64 lowercase hex digits";
    return {};
}
