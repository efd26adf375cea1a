// Shared by the catalog tests: sample entries and JSON helpers.
#pragma once

#include <QDebug>
#include <QJsonDocument>
#include <QJsonObject>

#include <string>

#include "core/mesh/catalog_wire.h"

namespace catalog_fixture {

inline const std::string kSha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

inline atmo::CatalogEntry minimalEntry(const std::string& id)
{
    atmo::CatalogEntry e;
    e.modelId = id;
    e.name = id;
    e.type = "llm";
    e.format = "gguf";
    e.sizeBytes = 1000;
    e.sha256 = kSha;
    e.version = "1.0.0";
    return e;
}

inline QJsonObject toObject(const std::string& json)
{
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray::fromStdString(json), &err);
    if (err.error != QJsonParseError::NoError)
        qWarning() << "not JSON:" << err.errorString();
    return doc.object();
}

inline std::string toJson(const QJsonObject& o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact).toStdString();
}

} // namespace catalog_fixture
