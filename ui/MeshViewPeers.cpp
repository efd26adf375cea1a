// MeshView's peers added by hand: adding one by address, remembering it
// (through the PeerMemory the window gives), and forgetting it.
#include "ui/MeshView.h"

#include <QLabel>
#include <QPushButton>
#include <QTableView>

#include "app/mesh/PeerDirectory.h"

namespace {
// Only what the user added, or what this station remembers, can be forgotten;
// a peer mDNS shows now would come straight back.
bool forgettable(const PeerState& p)
{
    return p.origin == atmo::PeerOrigin::Manual || p.origin == atmo::PeerOrigin::Remembered;
}
} // namespace

bool MeshView::addPeer(const QString& address, QString* error)
{
    QString url = address.trimmed();
    if (!url.isEmpty() && !url.contains(QStringLiteral("://")))
        url = QStringLiteral("http://") + url; // "10.0.0.5:14345" is what people type
    if (!url.isEmpty() && url.count(':') == 1)
        url += QStringLiteral(":14345");
    if (!directory_.addPeer(url, atmo::PeerOrigin::Manual, {}, {}, error))
        return false;
    QString why;
    if (remember_ && !remember_(url, &why)) {
        // Added all the same; only the memory failed, and the user should know.
        addError_->setText(tr("%1 is added, but cannot be remembered for the next start: %2").arg(url, why));
        addError_->show();
    }
    return true;
}

void MeshView::setPeerMemory(PeerMemory remember, PeerMemory forget)
{
    remember_ = std::move(remember);
    forgetPeer_ = std::move(forget);
}

void MeshView::forgetSelectedPeer()
{
    const int row = peerTable_->currentIndex().row();
    if (row < 0 || row >= directory_.peerCount())
        return;
    if (!forgettable(directory_.peer(row)))
        return;
    const QString endpoint = directory_.peer(row).endpoint;
    QString why;
    if (forgetPeer_) {
        if (!forgetPeer_(endpoint, &why)) {
            addError_->setText(tr("%1 is removed, but the list of remembered peers cannot be saved: %2").arg(endpoint, why));
            addError_->show();
            return;
        }
    } else {
        directory_.removePeer(endpoint);
    }
    addError_->hide();
}

void MeshView::updateForgetButton()
{
    const int row = peerTable_->currentIndex().row();
    forget_->setEnabled(row >= 0 && row < directory_.peerCount() && forgettable(directory_.peer(row)));
}
