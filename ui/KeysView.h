// Keys: the signing keys this station holds (generate, export the public
// key for devices, trust) and the public keys it trusts (import, remove).
#pragma once

#include <QPointer>
#include <QWidget>

#include <optional>

#include "app/KeyJob.h"
#include "app/SigningKeyModel.h"
#include "app/TrustedKeyModel.h"

class QLabel;
class QPushButton;
class QStackedWidget;
class QTableView;
class StationContext;

class KeysView : public QWidget {
    Q_OBJECT
public:
    explicit KeysView(StationContext& context, QWidget* parent = nullptr);
    ~KeysView() override;

    void reload();
    void generateKey();                              // with the dialog
    KeyJob* startGenerate(const QString& name, std::optional<QString> password, std::optional<atmo::TrustRole> trustAs);
    void importPublicKey();                          // with dialogs
    bool trustPublicKey(const QString& pubFile, atmo::TrustRole role, const QString& name, QString* error = nullptr);
    void trustSelected();                            // with the dialog
    void exportSelected();                           // with a file dialog
    bool exportPublicKey(int signingRow, const QString& target, QString* error = nullptr);
    void removeSelectedTrust();                      // with a confirmation
    bool removeTrust(int trustedRow, QString* error = nullptr);

    SigningKeyModel* signingModel() const { return signing_; }
    TrustedKeyModel* trustedModel() const { return trusted_; }
    QTableView* signingTable() const { return signingTable_; }
    QTableView* trustedTable() const { return trustedTable_; }
    QLabel* statusLabel() const { return status_; }
    // Shown instead of a table while it has no rows.
    QLabel* signingEmptyLabel() const { return signingEmpty_; }
    QLabel* trustedEmptyLabel() const { return trustedEmpty_; }

signals:
    void keysChanged();

private:
    int selectedRow(QTableView* table) const;
    void updateButtons();
    void showStatus(const QString& text, bool error, const QString& detail = {}); // detail: the tooltip

    StationContext& context_;
    SigningKeyModel* signing_;
    TrustedKeyModel* trusted_;
    QTableView* signingTable_ = nullptr;
    QTableView* trustedTable_ = nullptr;
    QStackedWidget* signingStack_ = nullptr;
    QStackedWidget* trustedStack_ = nullptr;
    QLabel* signingEmpty_ = nullptr;
    QLabel* trustedEmpty_ = nullptr;
    QPushButton* generate_ = nullptr;
    QPushButton* export_ = nullptr;
    QPushButton* trust_ = nullptr;
    QPushButton* import_ = nullptr;
    QPushButton* remove_ = nullptr;
    QLabel* status_ = nullptr;
    QPointer<KeyJob> job_;
};
