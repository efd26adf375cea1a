#include "ui/SettingsDialog.h"

#include "ui/StatusColors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QHostAddress>
#include <QSpinBox>
#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>

#include "app/LanguageManager.h"
#include "app/PathConversion.h"
#include "app/Settings.h"
#include "core/base/node_name.h"
#include "core/package/station_home.h"
#include "core/transfer/transfer_queue.h"

namespace {
QWidget* folderRow(QLineEdit* edit, const QString& title, QWidget* parent)
{
    auto* w = new QWidget(parent);
    auto* row = new QHBoxLayout(w);
    row->setContentsMargins(0, 0, 0, 0);
    auto* browse = new QPushButton(QObject::tr("Browse…"), w);
    browse->setAccessibleName(title);
    QObject::connect(browse, &QPushButton::clicked, w, [edit, title, w] {
        const QString dir = QFileDialog::getExistingDirectory(w, title, edit->text());
        if (!dir.isEmpty())
            edit->setText(QDir::toNativeSeparators(dir));
    });
    row->addWidget(edit, 1);
    row->addWidget(browse);
    return w;
}

// The spin boxes show MB/s (10^6 bytes, the unit of PROTOCOL.md's classes).
constexpr double kMB = 1e6;
double toMBps(std::uint64_t bytesPerSecond) { return static_cast<double>(bytesPerSecond) / kMB; }
std::uint64_t fromMBps(double mbps) { return static_cast<std::uint64_t>(mbps * kMB + 0.5); }
} // namespace

SettingsDialog::SettingsDialog(Settings& settings, const atmo::StationHome& stationHome, QWidget* parent)
    : QDialog(parent), settings_(settings), home_(stationHome)
{
    setWindowTitle(tr("Settings"));
    auto* layout = new QVBoxLayout(this);
    auto* form = new QFormLayout;
    language_ = new QComboBox(this);
    language_->setAccessibleName(tr("Language"));
    language_->addItem(tr("System language (%1)").arg(LanguageManager::displayName(LanguageManager::resolve({}))),
                       QString());
    for (const QString& code : LanguageManager::available())
        language_->addItem(LanguageManager::displayName(code), code);
    language_->setCurrentIndex(qMax(0, language_->findData(settings.language())));
    form->addRow(tr("&Language:"), language_);
    output_ = new QLineEdit(QDir::toNativeSeparators(settings.outputDir()), this);
    output_->setAccessibleName(tr("Folder for built packages"));
    form->addRow(tr("Built &packages go to:"), folderRow(output_, tr("Folder for built packages"), this));
    installRoot_ = new QLineEdit(QDir::toNativeSeparators(settings.installRoot()), this);
    installRoot_->setAccessibleName(tr("Install packages into"));
    form->addRow(tr("&Install into:"), folderRow(installRoot_, tr("Install packages into"), this));
    auto* home = new QLabel(QDir::toNativeSeparators(fromFsPath(home_.root())), this);
    home->setTextInteractionFlags(Qt::TextSelectableByMouse);
    home->setToolTip(tr("Keys, trust store and package index. Set ATMOSPHERE_HOME to use another folder."));
    form->addRow(tr("Station home:"), home);
    layout->addLayout(form);

    auto* mesh = new QGroupBox(tr("Mesh"), this);
    auto* meshForm = new QFormLayout(mesh);
    const atmo::StationHome& station = home_;
    const auto nodeId = station.nodeId();
    name_ = new QLineEdit(QString::fromStdString(station.explicitNodeName()), mesh);
    name_->setPlaceholderText(
        QString::fromStdString(atmo::StationHome::defaultNodeName(nodeId ? *nodeId : std::string())));
    name_->setAccessibleName(tr("Station name"));
    name_->setToolTip(tr("How other stations see this one: in their peer lists, on mDNS and with "
                         "\"atmosphere package sync --from NAME\". Leave it empty to use the host name."));
    meshForm->addRow(tr("Station &name:"), name_);
    serve_ = new QCheckBox(tr("&Serve this station's models and packages to the mesh"), mesh);
    serve_->setChecked(settings.meshServe());
    meshForm->addRow(serve_);
    bind_ = new QLineEdit(settings.meshBind(), mesh);
    bind_->setPlaceholderText(tr("every address"));
    bind_->setAccessibleName(tr("Listen on address"));
    meshForm->addRow(tr("Listen on &address:"), bind_);
    port_ = new QSpinBox(mesh);
    port_->setRange(1, 65535);
    port_->setValue(settings.meshPort() > 0 ? settings.meshPort() : 14345);
    port_->setAccessibleName(tr("Port"));
    meshForm->addRow(tr("P&ort:"), port_);
    mdns_ = new QCheckBox(tr("Advertise and find peers with m&DNS"), mesh);
    mdns_->setChecked(settings.meshMdns());
    meshForm->addRow(mdns_);
    meshError_ = new QLabel(mesh);
    meshError_->setStyleSheet(StatusColors::errorStyle());
    meshError_->hide();
    meshForm->addRow(meshError_);
    connect(serve_, &QCheckBox::toggled, bind_, &QWidget::setEnabled);
    connect(serve_, &QCheckBox::toggled, port_, &QWidget::setEnabled);
    bind_->setEnabled(serve_->isChecked());
    port_->setEnabled(serve_->isChecked());
    layout->addWidget(mesh);

    auto* downloads = new QGroupBox(tr("Download speed limits"), this);
    // The wrapped note below the form, not a row of it: a form row does not
    // get the height a wrapped label needs after a row of buttons.
    auto* capsColumn = new QVBoxLayout(downloads);
    auto* capsForm = new QFormLayout;
    capsColumn->addLayout(capsForm);
    const atmo::BandwidthCaps caps = settings.downloadCaps();
    const std::uint64_t values[] = {caps.smallBytesPerSecond, caps.mediumBytesPerSecond, caps.largeBytesPerSecond};
    const QString labels[] = {tr("Models and packages under 10 MB:"), tr("From 10 MB to 500 MB:"),
                              tr("Over 500 MB:")};
    const QString names[] = {tr("Speed limit under 10 MB"), tr("Speed limit from 10 to 500 MB"),
                             tr("Speed limit over 500 MB")};
    for (int i = 0; i < 3; ++i) {
        auto* box = new QDoubleSpinBox(downloads);
        box->setDecimals(3); // the relay's 5 Mbit/s is 0.625 MB/s
        box->setRange(0, 100000);
        box->setSingleStep(0.5);
        box->setSuffix(tr(" MB/s"));
        box->setSpecialValueText(tr("Uncapped"));
        box->setAccessibleName(names[i]);
        box->setValue(toMBps(values[i]));
        caps_[i] = box;
        capsForm->addRow(labels[i], box);
    }
    auto* presets = new QHBoxLayout;
    auto* uncapped = new QPushButton(tr("&Uncapped (LAN)"), downloads);
    uncapped->setToolTip(tr("No limit for any size: the default on a local network."));
    auto* relay = new QPushButton(tr("Mesh &relay limits"), downloads);
    const atmo::BandwidthCaps relayCaps = atmo::BandwidthCaps::relayPreset();
    relay->setToolTip(tr("What the mesh relay uses: under 10 MB uncapped, 10–500 MB at 5 Mbit/s, over 500 MB at "
                         "2 Mbit/s."));
    connect(uncapped, &QPushButton::clicked, this, [this] {
        for (QDoubleSpinBox* box : caps_)
            box->setValue(0);
    });
    connect(relay, &QPushButton::clicked, this, [this, relayCaps] {
        caps_[0]->setValue(toMBps(relayCaps.smallBytesPerSecond));
        caps_[1]->setValue(toMBps(relayCaps.mediumBytesPerSecond));
        caps_[2]->setValue(toMBps(relayCaps.largeBytesPerSecond));
    });
    presets->addWidget(uncapped);
    presets->addWidget(relay);
    presets->addStretch(1);
    capsForm->addRow(presets);
    auto* capsNote = new QLabel(tr("Each download of that size is held to its limit; changes apply to running "
                                   "downloads at once. 1 MB/s = 8 Mbit/s."),
                                downloads);
    capsNote->setWordWrap(true);
    capsNote->setStyleSheet(QStringLiteral("color:#5f6b76"));
    capsColumn->addWidget(capsNote);
    layout->addWidget(downloads);

    // What this station sends to other networks through the mesh's relay:
    // the relay is the whole mesh's, often behind a slow uplink.
    auto* relayBox = new QGroupBox(tr("Sending through the mesh's relay"), this);
    auto* relayColumn = new QVBoxLayout(relayBox);
    auto* relayForm = new QFormLayout;
    relayColumn->addLayout(relayForm);
    const atmo::RelayCaps relaySend = settings.relaySendCaps();
    relayCapsOn_ = new QCheckBox(tr("&Hold models sent through the relay to these limits"), relayBox);
    relayCapsOn_->setChecked(relaySend.enabled);
    relayForm->addRow(relayCapsOn_);
    const std::uint64_t relayValues[] = {relaySend.mediumBitsPerSecond, relaySend.largeBitsPerSecond};
    const QString relayLabels[] = {tr("Models from 10 MB to 500 MB:"), tr("Models over 500 MB:")};
    const QString relayNames[] = {tr("Relay limit from 10 to 500 MB"), tr("Relay limit over 500 MB")};
    for (int i = 0; i < 2; ++i) {
        auto* box = new QDoubleSpinBox(relayBox);
        box->setDecimals(1);
        box->setRange(0.1, 10000);
        box->setSuffix(tr(" Mbit/s"));
        box->setAccessibleName(relayNames[i]);
        box->setValue(double(relayValues[i]) / 1e6);
        relayCaps_[i] = box;
        relayForm->addRow(relayLabels[i], box);
        connect(relayCapsOn_, &QCheckBox::toggled, box, &QWidget::setEnabled);
        box->setEnabled(relaySend.enabled);
    }
    auto* relayNote = new QLabel(tr("Models under 10 MB are never held back. The mesh's own values are 5 and "
                                    "2 Mbit/s; a transfer already running keeps the limit it started with."),
                                 relayBox);
    relayNote->setWordWrap(true);
    relayNote->setStyleSheet(QStringLiteral("color:#5f6b76"));
    relayColumn->addWidget(relayNote);
    layout->addWidget(relayBox);

    auto* note = new QLabel(tr("A new language is used from the next start of Atmosphere Station."), this);
    note->setWordWrap(true);
    note->setStyleSheet(QStringLiteral("color:#5f6b76"));
    layout->addWidget(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &SettingsDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(640);
    adjustSize(); // the wrapped notes need their height for this width
}

void SettingsDialog::accept()
{
    const QString bind = bind_->text().trimmed();
    if (!bind.isEmpty() && QHostAddress(bind).isNull()) {
        meshError_->setText(tr("\"%1\" is not an IP address (leave it empty to listen on every address).").arg(bind));
        meshError_->show();
        bind_->setFocus();
        return;
    }
    const QString name = name_->text().trimmed();
    const atmo::StationHome& home = home_;
    const bool nameChanged = name.toStdString() != home.explicitNodeName();
    if (nameChanged) {
        const std::string problem = name.isEmpty() ? std::string() : atmo::nodeNameProblem(name.toStdString());
        const auto saved = problem.empty() ? home.setNodeName(name.toStdString()) : atmo::Status(atmo::fail(problem));
        if (!saved) {
            meshError_->setText(tr("The station name \"%1\" cannot be used: %2")
                                    .arg(name, QString::fromStdString(saved.message())));
            meshError_->show();
            name_->setFocus();
            return;
        }
    }
    meshChanged_ = nameChanged || serve_->isChecked() != settings_.meshServe() || bind != settings_.meshBind() ||
                   port_->value() != settings_.meshPort() || mdns_->isChecked() != settings_.meshMdns();
    settings_.setMeshServe(serve_->isChecked());
    settings_.setMeshBind(bind);
    settings_.setMeshPort(port_->value());
    settings_.setMeshMdns(mdns_->isChecked());
    const atmo::BandwidthCaps caps{fromMBps(caps_[0]->value()), fromMBps(caps_[1]->value()),
                                   fromMBps(caps_[2]->value())};
    capsChanged_ = !(caps == settings_.downloadCaps());
    settings_.setDownloadCaps(caps);
    atmo::RelayCaps relaySend = settings_.relaySendCaps();
    const atmo::RelayCaps before = relaySend;
    relaySend.enabled = relayCapsOn_->isChecked();
    relaySend.mediumBitsPerSecond = std::uint64_t(std::llround(relayCaps_[0]->value() * 1e6));
    relaySend.largeBitsPerSecond = std::uint64_t(std::llround(relayCaps_[1]->value() * 1e6));
    relayCapsChanged_ = relaySend.enabled != before.enabled ||
                        relaySend.mediumBitsPerSecond != before.mediumBitsPerSecond ||
                        relaySend.largeBitsPerSecond != before.largeBitsPerSecond;
    settings_.setRelaySendCaps(relaySend);
    const QString language = language_->currentData().toString();
    languageChanged_ = language != settings_.language();
    settings_.setLanguage(language);
    settings_.setOutputDir(QDir::fromNativeSeparators(output_->text().trimmed()));
    settings_.setInstallRoot(QDir::fromNativeSeparators(installRoot_->text().trimmed()));
    settings_.sync();
    QDialog::accept();
}
