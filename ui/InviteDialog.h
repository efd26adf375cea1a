// Inviting a device into this station's mesh: who may join (any device, or
// only the one with a given node id), with which capabilities, for how long
// (at most 7 days), and where the device finds the mesh (this station on the
// LAN, the relays). "Create invite" signs a join token with the mesh key
// (core/relay/invite_issuer.h, the same code as `atmosphere mesh invite`) and
// shows the `atmosphere://join?invite=` link and its QR code, for a device's
// camera, with Copy link, Save QR code and Save invite (JSON).
#pragma once

#include <QDialog>

#include <optional>

#include "core/relay/invite.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class QrCodeWidget;

namespace atmo {
class StationHome;
}

class InviteDialog : public QDialog {
    Q_OBJECT
public:
    // endpoints: where a device finds the mesh, one per line, prefilled
    // ("local:HOST:PORT" of this station's server, "relay:wss://...").
    InviteDialog(const atmo::StationHome& home, const QStringList& endpoints, QWidget* parent = nullptr);

    // Signs and shows an invite from the form; false with the reason shown
    // under the form when the form or the mesh key is not right.
    bool createInvite();
    const std::optional<atmo::Invite>& invite() const { return invite_; }
    QString link() const;
    // Writes the QR code (PNG, 8 pixels per module) or the invite's JSON.
    bool saveQrCode(const QString& file, QString* error = nullptr) const;
    bool saveInvite(const QString& file, QString* error = nullptr) const;

    QRadioButton* anyDeviceButton() const { return anyDevice_; }
    QLineEdit* nodeIdEdit() const { return nodeId_; }
    QLineEdit* capabilitiesEdit() const { return capabilities_; }
    QComboBox* lifetimeCombo() const { return lifetime_; }
    QPlainTextEdit* endpointsEdit() const { return endpoints_; }
    QPushButton* createButton() const { return create_; }
    QrCodeWidget* qrCode() const { return qr_; }
    QLineEdit* linkEdit() const { return link_; }
    QLabel* errorLabel() const { return error_; }
    QLabel* expiryLabel() const { return expiry_; }

private:
    void showError(const QString& text);

    const atmo::StationHome& home_;
    std::optional<atmo::Invite> invite_;
    QRadioButton* anyDevice_;
    QRadioButton* oneDevice_;
    QLineEdit* nodeId_;
    QLineEdit* capabilities_;
    QComboBox* lifetime_;
    QPlainTextEdit* endpoints_;
    QPushButton* create_;
    QLabel* error_;
    QrCodeWidget* qr_;
    QLineEdit* link_;
    QLabel* expiry_;
    QPushButton* copy_;
    QPushButton* saveQr_;
    QPushButton* saveJson_;
};
