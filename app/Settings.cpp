#include "app/Settings.h"

#include "app/PathConversion.h"

namespace {
const QString kLanguage = QStringLiteral("ui/language");
const QString kGeometry = QStringLiteral("window/geometry");
const QString kState = QStringLiteral("window/state");
const QString kView = QStringLiteral("window/view");
const QString kMissionDir = QStringLiteral("build/missionDir");
const QString kOutputDir = QStringLiteral("build/outputDir");
const QString kMeshKey = QStringLiteral("build/meshKey");
const QString kFounderKey = QStringLiteral("build/founderKey");
const QString kInstallRoot = QStringLiteral("import/installRoot");
const QString kOpenDir = QStringLiteral("import/openDir");
const QString kFailuresOnly = QStringLiteral("import/failuresOnly");
const QString kMeshServe = QStringLiteral("mesh/serve");
const QString kMeshPort = QStringLiteral("mesh/port");
const QString kMeshBind = QStringLiteral("mesh/bind");
const QString kMeshMdns = QStringLiteral("mesh/mdns");
const QString kMeshPeers = QStringLiteral("mesh/peers");
const QString kMeshCapSmall = QStringLiteral("mesh/capSmall");
const QString kRelayCapsOn = QStringLiteral("relay/capsOn");
const QString kRelayCapMedium = QStringLiteral("relay/capMediumBps");
const QString kRelayCapLarge = QStringLiteral("relay/capLargeBps");
const QString kMeshCapMedium = QStringLiteral("mesh/capMedium");
const QString kMeshCapLarge = QStringLiteral("mesh/capLarge");
} // namespace

Settings::Settings() : s_(std::make_unique<QSettings>()) {}

Settings::Settings(const QString& iniFile) : s_(std::make_unique<QSettings>(iniFile, QSettings::IniFormat)) {}

QString Settings::language() const { return s_->value(kLanguage).toString(); }
void Settings::setLanguage(const QString& code) { s_->setValue(kLanguage, code); }

QByteArray Settings::windowGeometry() const { return s_->value(kGeometry).toByteArray(); }
void Settings::setWindowGeometry(const QByteArray& geometry) { s_->setValue(kGeometry, geometry); }
QByteArray Settings::windowState() const { return s_->value(kState).toByteArray(); }
void Settings::setWindowState(const QByteArray& state) { s_->setValue(kState, state); }
int Settings::currentView() const { return s_->value(kView, 0).toInt(); }
void Settings::setCurrentView(int index) { s_->setValue(kView, index); }

QString Settings::lastMissionDir() const { return s_->value(kMissionDir).toString(); }
void Settings::setLastMissionDir(const QString& dir) { s_->setValue(kMissionDir, dir); }

QString Settings::outputDir() const { return s_->value(kOutputDir, defaultOutputDir_).toString(); }
void Settings::setHomeDefaults(const atmo::StationHome& home)
{
    defaultOutputDir_ = fromFsPath(home.root() / "packages");
    defaultInstallRoot_ = fromFsPath(home.defaultInstallRoot());
}

void Settings::setOutputDir(const QString& dir) { s_->setValue(kOutputDir, dir); }

QString Settings::installRoot() const
{
    return s_->value(kInstallRoot, defaultInstallRoot_).toString();
}
void Settings::setInstallRoot(const QString& dir) { s_->setValue(kInstallRoot, dir); }

QString Settings::lastOpenDir() const { return s_->value(kOpenDir).toString(); }
void Settings::setLastOpenDir(const QString& dir) { s_->setValue(kOpenDir, dir); }

QString Settings::meshKeyFile() const { return s_->value(kMeshKey).toString(); }
void Settings::setMeshKeyFile(const QString& file) { s_->setValue(kMeshKey, file); }
QString Settings::founderKeyFile() const { return s_->value(kFounderKey).toString(); }
void Settings::setFounderKeyFile(const QString& file) { s_->setValue(kFounderKey, file); }

bool Settings::failuresOnly() const { return s_->value(kFailuresOnly, false).toBool(); }
void Settings::setFailuresOnly(bool on) { s_->setValue(kFailuresOnly, on); }

bool Settings::meshServe() const { return s_->value(kMeshServe, true).toBool(); }
void Settings::setMeshServe(bool on) { s_->setValue(kMeshServe, on); }
int Settings::meshPort() const
{
    const int port = s_->value(kMeshPort, 14345).toInt();
    return port >= 0 && port <= 65535 ? port : 14345;
}
void Settings::setMeshPort(int port) { s_->setValue(kMeshPort, port); }
QString Settings::meshBind() const { return s_->value(kMeshBind).toString(); }
void Settings::setMeshBind(const QString& address) { s_->setValue(kMeshBind, address); }
bool Settings::meshMdns() const { return s_->value(kMeshMdns, true).toBool(); }
void Settings::setMeshMdns(bool on) { s_->setValue(kMeshMdns, on); }
QStringList Settings::meshPeers() const { return s_->value(kMeshPeers).toStringList(); }
void Settings::setMeshPeers(const QStringList& endpoints) { s_->setValue(kMeshPeers, endpoints); }

atmo::BandwidthCaps Settings::downloadCaps() const
{
    const auto read = [this](const QString& key) -> std::uint64_t {
        bool ok = false;
        const qulonglong v = s_->value(key, 0).toString().trimmed().toULongLong(&ok);
        return ok ? v : 0;
    };
    return {read(kMeshCapSmall), read(kMeshCapMedium), read(kMeshCapLarge)};
}
void Settings::setDownloadCaps(const atmo::BandwidthCaps& caps)
{
    s_->setValue(kMeshCapSmall, static_cast<qulonglong>(caps.smallBytesPerSecond));
    s_->setValue(kMeshCapMedium, static_cast<qulonglong>(caps.mediumBytesPerSecond));
    s_->setValue(kMeshCapLarge, static_cast<qulonglong>(caps.largeBytesPerSecond));
}

atmo::RelayCaps Settings::relaySendCaps() const
{
    atmo::RelayCaps caps = atmo::RelayCaps::protocolDefaults();
    const auto read = [this](const QString& key, std::uint64_t fallback) -> std::uint64_t {
        bool ok = false;
        const qulonglong v = s_->value(key).toString().trimmed().toULongLong(&ok);
        return ok && v > 0 ? v : fallback;
    };
    caps.enabled = s_->value(kRelayCapsOn, true).toBool();
    caps.mediumBitsPerSecond = read(kRelayCapMedium, caps.mediumBitsPerSecond);
    caps.largeBitsPerSecond = read(kRelayCapLarge, caps.largeBitsPerSecond);
    return caps;
}

void Settings::setRelaySendCaps(const atmo::RelayCaps& caps)
{
    s_->setValue(kRelayCapsOn, caps.enabled);
    s_->setValue(kRelayCapMedium, static_cast<qulonglong>(caps.mediumBitsPerSecond));
    s_->setValue(kRelayCapLarge, static_cast<qulonglong>(caps.largeBitsPerSecond));
}

void Settings::sync() { s_->sync(); }
