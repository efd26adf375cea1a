// Asks for a key's password, masked. The password lives only in the dialog
// and the job that uses it; nothing stores it.
#pragma once

#include <QDialog>

#include <optional>

class QLabel;
class QLineEdit;

class PasswordDialog : public QDialog {
    Q_OBJECT
public:
    // confirm: ask twice (for a new key).
    PasswordDialog(const QString& prompt, bool confirm, QWidget* parent = nullptr);

    QString password() const;
    QLineEdit* passwordEdit() const { return password_; }
    QLineEdit* confirmEdit() const { return confirm_; }
    void setError(const QString& message);

    // Shows the dialog; nullopt when cancelled.
    static std::optional<QString> ask(QWidget* parent, const QString& prompt, const QString& error = {});

    void accept() override;

private:
    QLineEdit* password_;
    QLineEdit* confirm_ = nullptr;
    QLabel* error_;
};
