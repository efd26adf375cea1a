#include "ui/InviteDialog.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSaveFile>
#include <QVBoxLayout>

#include "app/QtStrings.h"
#include "core/package/station_home.h"
#include "core/relay/invite_issuer.h"
#include "ui/QrCodeWidget.h"
#include "ui/StatusColors.h"

InviteDialog::InviteDialog(const atmo::StationHome& home, const QStringList& endpoints, QWidget* parent)
    : QDialog(parent), home_(home)
{
    setWindowTitle(tr("Invite a device"));

    anyDevice_ = new QRadioButton(tr("Any device"), this);
    oneDevice_ = new QRadioButton(tr("Only the device with node id"), this);
    anyDevice_->setChecked(true);
    nodeId_ = new QLineEdit(this);
    nodeId_->setPlaceholderText(tr("the device's node id (atmosphere mesh identity shows it)"));
    nodeId_->setEnabled(false);
    connect(oneDevice_, &QRadioButton::toggled, nodeId_, &QWidget::setEnabled);
    auto* who = new QVBoxLayout;
    who->addWidget(anyDevice_);
    auto* one = new QHBoxLayout;
    one->addWidget(oneDevice_);
    one->addWidget(nodeId_, 1);
    who->addLayout(one);

    capabilities_ = new QLineEdit(QStringLiteral("participant"), this);
    capabilities_->setToolTip(tr("Comma-separated capabilities the device is granted"));
    lifetime_ = new QComboBox(this);
    lifetime_->addItem(tr("1 hour"), 3600);
    lifetime_->addItem(tr("24 hours"), 24 * 3600);
    lifetime_->addItem(tr("3 days"), 3 * 24 * 3600);
    lifetime_->addItem(tr("7 days"), 7 * 24 * 3600);
    lifetime_->setCurrentIndex(1);
    endpoints_ = new QPlainTextEdit(endpoints.join('\n'), this);
    endpoints_->setToolTip(tr("One per line: local:HOST:PORT for this station on the LAN, relay:wss://... for a relay"));
    endpoints_->setMaximumHeight(fontMetrics().lineSpacing() * 5);

    auto* form = new QFormLayout;
    form->addRow(tr("Who may join:"), who);
    form->addRow(tr("Capabilities:"), capabilities_);
    form->addRow(tr("Valid for:"), lifetime_);
    form->addRow(tr("Where to find the mesh:"), endpoints_);

    create_ = new QPushButton(tr("Create invite"), this);
    create_->setDefault(true);
    connect(create_, &QPushButton::clicked, this, [this] { createInvite(); });
    error_ = new QLabel(this);
    error_->setWordWrap(true);
    error_->setVisible(false);
    QPalette pal = error_->palette();
    pal.setColor(QPalette::WindowText, StatusColors::error(palette()));
    error_->setPalette(pal);

    qr_ = new QrCodeWidget(this);
    qr_->setVisible(false);
    link_ = new QLineEdit(this);
    link_->setReadOnly(true);
    link_->setVisible(false);
    expiry_ = new QLabel(this);
    expiry_->setVisible(false);

    copy_ = new QPushButton(tr("Copy link"), this);
    saveQr_ = new QPushButton(tr("Save QR code…"), this);
    saveJson_ = new QPushButton(tr("Save invite…"), this);
    for (QPushButton* b : {copy_, saveQr_, saveJson_})
        b->setEnabled(false);
    connect(copy_, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(link()); });
    connect(saveQr_, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save QR code"), QStringLiteral("invite.png"),
                                                          tr("PNG images (*.png)"));
        QString why;
        if (!file.isEmpty() && !saveQrCode(file, &why))
            showError(why);
    });
    connect(saveJson_, &QPushButton::clicked, this, [this] {
        const QString file = QFileDialog::getSaveFileName(this, tr("Save invite"), QStringLiteral("invite.json"),
                                                          tr("JSON files (*.json)"));
        QString why;
        if (!file.isEmpty() && !saveInvite(file, &why))
            showError(why);
    });
    auto* close = new QPushButton(tr("Close"), this);
    connect(close, &QPushButton::clicked, this, &QDialog::accept);

    auto* actions = new QHBoxLayout;
    actions->addWidget(copy_);
    actions->addWidget(saveQr_);
    actions->addWidget(saveJson_);
    actions->addStretch(1);
    actions->addWidget(close);

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    auto* createRow = new QHBoxLayout;
    createRow->addStretch(1);
    createRow->addWidget(create_);
    layout->addLayout(createRow);
    layout->addWidget(error_);
    layout->addWidget(qr_, 1);
    layout->addWidget(expiry_);
    layout->addWidget(link_);
    layout->addLayout(actions);
}

void InviteDialog::showError(const QString& text)
{
    error_->setText(text);
    error_->setVisible(!text.isEmpty());
}

bool InviteDialog::createInvite()
{
    atmo::InviteRequest request;
    if (oneDevice_->isChecked())
        request.nodeId = s(nodeId_->text().trimmed());
    request.capabilities.clear();
    for (const QString& c : capabilities_->text().split(',', Qt::SkipEmptyParts))
        request.capabilities.push_back(s(c.trimmed()));
    request.lifetimeSeconds = lifetime_->currentData().toLongLong();
    for (const QString& e : endpoints_->toPlainText().split('\n', Qt::SkipEmptyParts))
        if (!e.trimmed().isEmpty())
            request.endpoints.push_back(s(e.trimmed()));

    auto made = atmo::issueInvite(home_, request, atmo::unixSecondsNow());
    if (!made) {
        showError(q(made.error().message));
        return false;
    }
    invite_ = std::move(*made);
    showError({});
    const QByteArray text = link().toUtf8();
    qr_->setText(text);
    qr_->setVisible(true);
    link_->setText(link());
    link_->setCursorPosition(0);
    link_->setVisible(true);
    const QDateTime expires = QDateTime::fromSecsSinceEpoch(invite_->token.expiresAt);
    const QString who = invite_->token.nodeId ? tr("the device %1").arg(q(*invite_->token.nodeId)) : tr("any device");
    expiry_->setText(tr("Lets %1 join mesh %2 until %3.")
                         .arg(who, q(invite_->token.meshId), QLocale().toString(expires, QLocale::LongFormat)));
    expiry_->setVisible(true);
    for (QPushButton* b : {copy_, saveQr_, saveJson_})
        b->setEnabled(true);
    return true;
}

QString InviteDialog::link() const
{
    return invite_ ? q(atmo::inviteLink(*invite_)) : QString();
}

bool InviteDialog::saveQrCode(const QString& file, QString* error) const
{
    if (!invite_ || qr_->code().isNull()) {
        if (error)
            *error = tr("There is no invite to save yet.");
        return false;
    }
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || !qr_->code().image(8).save(&out, "PNG") || !out.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(file, out.errorString());
        return false;
    }
    return true;
}

bool InviteDialog::saveInvite(const QString& file, QString* error) const
{
    if (!invite_) {
        if (error)
            *error = tr("There is no invite to save yet.");
        return false;
    }
    QSaveFile out(file);
    const QByteArray json = QByteArray::fromStdString(atmo::inviteJson(*invite_)) + '\n';
    if (!out.open(QIODevice::WriteOnly) || out.write(json) != json.size() || !out.commit()) {
        if (error)
            *error = tr("Could not write %1: %2").arg(file, out.errorString());
        return false;
    }
    return true;
}
