#include "ui/JoinMeshDialog.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QUrl>
#include <QVBoxLayout>

#include "app/QtStrings.h"
#include "app/relay/RelayClient.h"
#include "app/relay/RelayPresence.h"
#include "core/package/station_home.h"
#include "core/relay/invite.h"
#include "core/relay/join_request.h"
#include "core/relay/join_token.h"
#include "ui/StatusColors.h"

JoinMeshDialog::JoinMeshDialog(const atmo::StationHome& home, RelayPresence& relay, QWidget* parent)
    : QDialog(parent), home_(home), relay_(relay), meshId_(home.meshId())
{
    setWindowTitle(tr("Join a mesh on a relay"));
    holdsMeshKey_ = home.meshKey(meshId_).ok();

    member_ = new QRadioButton(tr("Join with an invite or a join token"), this);
    founder_ = new QRadioButton(tr("Register this station's mesh “%1” as its founder").arg(q(meshId_)), this);
    founder_->setEnabled(holdsMeshKey_);
    founder_->setToolTip(holdsMeshKey_ ? tr("This station holds the key of mesh %1").arg(q(meshId_))
                                       : tr("This station holds no key for mesh %1; only its founder registers it")
                                             .arg(q(meshId_)));
    member_->setChecked(true);

    credential_ = new QPlainTextEdit(this);
    credential_->setPlaceholderText(tr("Paste the atmosphere://join?invite=… link, or a join token's JSON"));
    credential_->setAccessibleName(tr("Invite or join token"));
    credential_->setTabChangesFocus(true);
    credential_->setMaximumHeight(fontMetrics().lineSpacing() * 6);
    connect(member_, &QRadioButton::toggled, credential_, &QWidget::setEnabled);

    relayUrl_ = new QLineEdit(this);
    relayUrl_->setPlaceholderText(tr("ws://relay.example:8765 (an invite may name it)"));
    relayUrl_->setAccessibleName(tr("Relay URL"));
    relayUrl_->setClearButtonEnabled(true);

    check_ = new QLabel(this);
    check_->setWordWrap(true);
    check_->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* form = new QFormLayout;
    form->addRow(member_);
    form->addRow(tr("&Invite or token:"), credential_);
    form->addRow(founder_);
    form->addRow(tr("&Relay:"), relayUrl_);

    buttons_ = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    join_ = buttons_->addButton(tr("&Join"), QDialogButtonBox::AcceptRole);
    join_->setDefault(true);
    connect(buttons_, &QDialogButtonBox::accepted, this, [this] { startJoin(); });
    connect(buttons_, &QDialogButtonBox::rejected, this, [this] {
        if (busy_)
            relay_.cancelJoin();
        reject();
    });

    auto* layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(check_);
    layout->addStretch(1);
    layout->addWidget(buttons_);

    connect(credential_, &QPlainTextEdit::textChanged, this, &JoinMeshDialog::updateCheck);
    connect(relayUrl_, &QLineEdit::textChanged, this, &JoinMeshDialog::updateCheck);
    connect(member_, &QRadioButton::toggled, this, &JoinMeshDialog::updateCheck);
    connect(&relay_, &RelayPresence::joinFinished, this, &JoinMeshDialog::onJoinFinished);
    updateCheck();
}

atmo::Result<atmo::RelayMembership> JoinMeshDialog::membership() const
{
    const std::string relayUrl = s(relayUrl_->text().trimmed());
    atmo::RelayMembership m;
    if (founder_->isChecked()) {
        if (relayUrl.empty())
            return atmo::fail(atmo::ErrorCode::Usage, s(tr("Give the relay's URL.")));
        m.relayUrl = relayUrl;
        m.meshId = meshId_;
        m.founder = true;
    } else {
        const QString credential = credential_->toPlainText().trimmed();
        if (credential.isEmpty())
            return atmo::fail(atmo::ErrorCode::Usage,
                              s(tr("Paste the invite link or the join token a founder's station gave you.")));
        auto nodeId = home_.nodeId();
        if (!nodeId)
            return nodeId.error();
        auto made = atmo::membershipFromCredential(s(credential), relayUrl, *nodeId, atmo::unixSecondsNow());
        if (!made)
            return made.error();
        m = *made;
    }
    QString why;
    if (!RelayClient::endpointFor(QUrl(q(m.relayUrl)), q(m.meshId), &why).isValid())
        return atmo::fail(atmo::ErrorCode::Usage, s(why));
    return m;
}

void JoinMeshDialog::updateCheck()
{
    if (busy_)
        return;
    const auto m = membership();
    join_->setEnabled(m.ok());
    QPalette pal = check_->palette();
    pal.setColor(QPalette::WindowText, m ? palette().color(QPalette::WindowText) : StatusColors::error(palette()));
    check_->setPalette(pal);
    if (!m) {
        // Nothing typed yet is not an error: say what to do, not in red.
        if (m.code() == atmo::ErrorCode::Usage && credential_->toPlainText().trimmed().isEmpty() &&
            !founder_->isChecked())
            check_->setPalette(palette());
        check_->setText(q(m.message()));
        return;
    }
    if (m->founder) {
        check_->setText(tr("Registers mesh “%1” on relay %2 with this station's mesh key; devices then join it with "
                           "invites from this station.")
                            .arg(q(m->meshId), q(m->relayUrl)));
        return;
    }
    QString expiry;
    if (auto token = atmo::parseJoinToken(m->tokenJson))
        expiry = QLocale().toString(QDateTime::fromSecsSinceEpoch(token->expiresAt), QLocale::LongFormat);
    if (relayUrl_->text().trimmed().isEmpty())
        relayUrl_->setPlaceholderText(q(m->relayUrl));
    check_->setText(tr("Joins mesh “%1” on relay %2 as a member; the token is valid until %3.")
                        .arg(q(m->meshId), q(m->relayUrl), expiry));
}

bool JoinMeshDialog::startJoin()
{
    if (busy_)
        return false;
    const auto m = membership();
    if (!m) {
        updateCheck();
        return false;
    }
    setBusy(true);
    check_->setPalette(palette());
    check_->setText(tr("Connecting to relay %1…").arg(q(m->relayUrl)));
    relay_.join(*m);
    return true;
}

void JoinMeshDialog::onJoinFinished(bool ok, const QString& message)
{
    if (!busy_)
        return;
    setBusy(false);
    if (ok) {
        accept();
        return;
    }
    QPalette pal = check_->palette();
    pal.setColor(QPalette::WindowText, StatusColors::error(palette()));
    check_->setPalette(pal);
    check_->setText(tr("Not joined: %1").arg(message));
}

void JoinMeshDialog::setBusy(bool busy)
{
    busy_ = busy;
    member_->setEnabled(!busy);
    founder_->setEnabled(!busy && holdsMeshKey_);
    credential_->setEnabled(!busy && member_->isChecked());
    relayUrl_->setEnabled(!busy);
    join_->setEnabled(!busy);
}
