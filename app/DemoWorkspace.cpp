#include "app/DemoWorkspace.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include "app/PathConversion.h"
#include "core/package/minisign.h"
#include "core/package/package_store.h"
#include "core/package/package_writer.h"
#include "core/package/station_home.h"
#include "core/package/trust_store.h"

namespace {
bool writeText(const QString& path, const QByteArray& data)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(data) == data.size();
}

bool writeRandom(const QString& path, qint64 size, quint32 seed)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QRandomGenerator rng(seed);
    QByteArray block(64 * 1024, Qt::Uninitialized);
    while (size > 0) {
        rng.fillRange(reinterpret_cast<quint32*>(block.data()), block.size() / 4);
        const qint64 n = std::min<qint64>(size, block.size());
        if (f.write(block.constData(), n) != n)
            return false;
        size -= n;
    }
    return true;
}
} // namespace

void DemoWorkspace::writeMission(const QString& dir)
{
    writeText(dir + "/config/mission.yaml",
              "id: production-inspection\nname: Production inspection\ntiers: [tier_1, tier_2]\n"
              "models:\n  tinyyolo-defects-1.3.onnx:\n    tiers: [tier_1, tier_2]\n  llama-edge-2.0.gguf:\n    tiers: [tier_2]\n");
    writeText(dir + "/config/llamafarm.yaml", "version: v1\nname: inspection\nruntime:\n  provider: ollama\n");
    writeRandom(dir + "/models/tinyyolo-defects-1.3.onnx", 3 * 1024 * 1024 + 123, 1);
    writeRandom(dir + "/models/llama-edge-2.0.gguf", 12 * 1024 * 1024 + 7, 2);
    writeText(dir + "/agents/inspector-1.0.yaml", "name: inspector\nmodel: tinyyolo-defects\ntools: [camera]\n");
    writeText(dir + "/agents/reporter-1.1.yaml", "name: reporter\nmodel: llama-edge\n");
    writeText(dir + "/tools/camera-0.4.yaml", "name: camera\ndevice: /dev/video0\n");
    writeText(dir + "/knowledge/defects.chunks.jsonl",
              "{\"id\": 1, \"text\": \"scratch on the housing\"}\n{\"id\": 2, \"text\": \"dent near the seam\"}\n"
              "{\"id\": 3, \"text\": \"hairline crack in the weld\"}\n");
}

QString DemoWorkspace::create(const QString& dir, bool buildPackages, const QString& givenHome)
{
    root = QDir(dir).absolutePath();
    homeDir = givenHome.isEmpty() ? root + "/home" : QDir(givenHome).absolutePath();
    missionDir = root + "/mission";
    outputDir = root + "/packages";
    QDir().mkpath(outputDir);
    const atmo::StationHome home(toFsPath(homeDir));
    if (auto st = home.ensure(); !st)
        return QString::fromStdString(st.message());
    writeMission(missionDir);

    const atmo::SecretKey mesh = atmo::generateSecretKey();
    const atmo::SecretKey founder = atmo::generateSecretKey();
    auto meshPub = atmo::writeKeyPair(home.keysDir(), "mesh-authority", mesh, std::nullopt);
    if (!meshPub)
        return QString::fromStdString(meshPub.message());
    auto founderPub = atmo::writeKeyPair(home.keysDir(), "founder", founder, std::string("demo"));
    if (!founderPub)
        return QString::fromStdString(founderPub.message());
    meshKeyFile = fromFsPath(home.keysDir() / "mesh-authority.key");
    founderKeyFile = fromFsPath(home.keysDir() / "founder.key");
    atmo::TrustStore trust(home.trustDir());
    if (auto r = trust.add(mesh.publicKey(), atmo::TrustRole::Mesh, "Plant mesh authority"); !r)
        return QString::fromStdString(r.message());
    if (auto r = trust.add(founder.publicKey(), atmo::TrustRole::Founder, "Founder"); !r)
        return QString::fromStdString(r.message());
    if (!buildPackages)
        return {};

    atmo::CreateOptions options;
    options.missionDir = toFsPath(missionDir);
    options.version = "1.3";
    options.outputDir = toFsPath(outputDir);
    options.meshKey = mesh;
    options.founderKey = founder;
    options.stationName = home.stationName();
    if (auto identity = home.identity())
        options.stationKey = identity.value();
    auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
    if (!created)
        return QString::fromStdString(created.message());
    goodPackage = fromFsPath(created->file);
    (void)atmo::PackageStore(home.storeIndex())
        .add({created->manifest.id, created->manifest.version, std::nullopt, created->file, created->archiveBytes,
              created->manifest.created, {}, {}});

    // The tampered copy: one byte of the knowledge file changed in place
    // (the archive is uncompressed, so the text is stored verbatim).
    QFile in(goodPackage);
    if (!in.open(QIODevice::ReadOnly))
        return in.errorString();
    QByteArray bytes = in.readAll();
    const qsizetype at = bytes.indexOf("hairline crack");
    if (at < 0)
        return tr("The demo package does not contain the expected text.");
    bytes[at] = 'H';
    tamperedPackage = outputDir + "/tampered-copy-of-production-inspection-v1.3.atmo";
    if (!writeText(tamperedPackage, bytes))
        return tr("Cannot write %1.").arg(tamperedPackage);
    return {};
}
