#include "app/mesh/LlamaFarmApi.h"

#include <QEventLoop>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTimer>

#include <sys/stat.h>

#include <algorithm>
#include <set>

#include "core/mesh/llamafarm_api.h"
#include "core/base/sha256.h"

namespace {

constexpr int kTimeoutMs = 10000;
constexpr qint64 kMaxAnswerBytes = 16 << 20;

// The body of a 200 answer, or nullopt (no server, another status, too big).
std::optional<QByteArray> get(QNetworkAccessManager& net, const QUrl& url)
{
    QNetworkRequest request(url);
    request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
    QNetworkReply* reply = net.get(request);
    QEventLoop loop;
    QTimer timer;
    timer.setSingleShot(true);
    QObject::connect(&timer, &QTimer::timeout, reply, &QNetworkReply::abort);
    QObject::connect(reply, &QNetworkReply::finished, &loop, &QEventLoop::quit);
    QObject::connect(reply, &QNetworkReply::downloadProgress, reply, [reply](qint64 received, qint64) {
        if (received > kMaxAnswerBytes)
            reply->abort();
    });
    timer.start(kTimeoutMs);
    loop.exec();
    reply->deleteLater();
    if (reply->error() != QNetworkReply::NoError || reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() != 200)
        return std::nullopt;
    return reply->readAll();
}

std::int64_t mtimeNs(const struct stat& st)
{
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000LL + st.st_mtim.tv_nsec;
}

} // namespace

QUrl llamaFarmUrl()
{
    if (qEnvironmentVariableIsSet("ATMOSPHERE_LLAMAFARM_URL"))
        return QUrl(qEnvironmentVariable("ATMOSPHERE_LLAMAFARM_URL"));
    return QUrl("http://localhost:11540");
}

LlamaFarmScan scanLlamaFarmApi(const QUrl& base, atmo::HashCache& cache, const atmo::CancelToken& cancel)
{
    LlamaFarmScan out;
    if (!base.isValid() || base.isEmpty())
        return out;
    QNetworkAccessManager net;
    const QString root = base.toString(QUrl::StripTrailingSlash);
    const auto models = get(net, QUrl(root + "/v1/vision/models"));
    if (!models)
        return out; // no LlamaFarm here: normal
    const auto packages = get(net, QUrl(root + "/v1/vision/federation/packages"));
    auto found = atmo::llamaFarmVisionModels(models->toStdString(), packages ? packages->toStdString() : "{}");
    for (const auto& p : found.problems)
        out.problems << QString::fromStdString(p);
    bool stored = false;
    for (auto& m : found.models) {
        const QString label = "LlamaFarm model " + QString::fromStdString(m.entry.modelId) + ": ";
        std::error_code ec;
        if (const auto canonical = std::filesystem::canonical(m.file, ec); !ec)
            m.file = canonical; // the hash cache's key, as the library's
        struct stat st {};
        if (::stat(m.file.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            out.problems << label + "its package file is not here; skipped";
            continue;
        }
        const auto size = static_cast<std::uint64_t>(st.st_size);
        std::string sha;
        if (auto known = cache.wholeHash(m.file, size, mtimeNs(st))) {
            sha = *known;
        } else {
            auto hashed = atmo::sha256FileHex(m.file, cancel);
            if (!hashed) {
                out.problems << label + QString::fromStdString(hashed.message()) + "; skipped";
                continue;
            }
            sha = *hashed;
            cache.storeWhole(m.file, size, mtimeNs(st), sha);
            stored = true;
        }
        m.entry.sizeBytes = size;
        m.entry.sha256 = sha;
        out.models.push_back(atmo::LocalModel{m.entry, m.file});
    }
    if (stored)
        (void)cache.save(); // only a cache: failing to save costs a rehash later
    return out;
}

void mergeLlamaFarmModels(atmo::LibraryScan& scan, LlamaFarmScan llamaFarm)
{
    std::set<std::string> ids;
    for (const auto& m : scan.models)
        ids.insert(m.entry.modelId);
    for (const QString& p : llamaFarm.problems)
        scan.problems.push_back(p.toStdString());
    for (auto& m : llamaFarm.models) {
        if (!ids.insert(m.entry.modelId).second) {
            scan.problems.push_back("LlamaFarm model " + m.entry.modelId + ": model_id is already taken by a file of "
                                    "the library; skipped");
            continue;
        }
        scan.models.push_back(std::move(m));
    }
    std::sort(scan.models.begin(), scan.models.end(),
              [](const atmo::LocalModel& a, const atmo::LocalModel& b) { return a.entry.modelId < b.entry.modelId; });
}
