// Joining a mesh on the mesh's relay from the window, as `atmosphere mesh
// join|register` does: paste an invite (the atmosphere://join link a
// founder's station shows as a QR code) or a join token's JSON, and the
// relay's URL when the invite names none; or, on the station that holds the
// mesh key, register its mesh there as founder. The form says at once what
// it read (which mesh, until when) or why it cannot be used; Join tries the
// relay (RelayPresence::join) and the dialog closes only once the relay took
// the station in, else it shows the relay's answer and stays.
#pragma once

#include <QDialog>

#include <optional>

#include "core/base/result.h"
#include "core/relay/relay_membership.h"

class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QRadioButton;
class RelayPresence;

namespace atmo {
class StationHome;
}

class JoinMeshDialog : public QDialog {
    Q_OBJECT
public:
    JoinMeshDialog(const atmo::StationHome& home, RelayPresence& relay, QWidget* parent = nullptr);

    // The membership the form describes, or why there is none (one line).
    atmo::Result<atmo::RelayMembership> membership() const;
    // Starts joining (what the Join button does); false when the form is not right.
    bool startJoin();

    QRadioButton* memberButton() const { return member_; }
    QRadioButton* founderButton() const { return founder_; }
    QPlainTextEdit* credentialEdit() const { return credential_; }
    QLineEdit* relayEdit() const { return relayUrl_; }
    QLabel* checkLabel() const { return check_; }
    QPushButton* joinButton() const { return join_; }

private:
    void updateCheck();
    void onJoinFinished(bool ok, const QString& message);
    void setBusy(bool busy);

    const atmo::StationHome& home_;
    RelayPresence& relay_;
    std::string meshId_;   // this station's mesh (the one a founder registers)
    bool holdsMeshKey_ = false;
    QRadioButton* member_;
    QRadioButton* founder_;
    QPlainTextEdit* credential_;
    QLineEdit* relayUrl_;
    QLabel* check_;
    QDialogButtonBox* buttons_;
    QPushButton* join_;
    bool busy_ = false;
};
