#include "ui/PasswordDialog.h"

#include "ui/StatusColors.h"

#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

#include <optional>

PasswordDialog::PasswordDialog(const QString& prompt, bool confirm, QWidget* parent) : QDialog(parent)
{
    setWindowTitle(tr("Password"));
    auto* layout = new QVBoxLayout(this);
    auto* label = new QLabel(prompt, this);
    label->setWordWrap(true);
    layout->addWidget(label);
    auto* form = new QFormLayout;
    password_ = new QLineEdit(this);
    password_->setEchoMode(QLineEdit::Password);
    password_->setAccessibleName(tr("Password"));
    form->addRow(tr("&Password:"), password_);
    if (confirm) {
        confirm_ = new QLineEdit(this);
        confirm_->setEchoMode(QLineEdit::Password);
        confirm_->setAccessibleName(tr("Repeat password"));
        form->addRow(tr("&Repeat:"), confirm_);
    }
    layout->addLayout(form);
    error_ = new QLabel(this);
    error_->setStyleSheet(StatusColors::errorStyle());
    error_->setWordWrap(true);
    error_->hide();
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &PasswordDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &PasswordDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(380);
}

QString PasswordDialog::password() const { return password_->text(); }

void PasswordDialog::setError(const QString& message)
{
    error_->setText(message);
    error_->setVisible(!message.isEmpty());
}

void PasswordDialog::accept()
{
    if (password_->text().isEmpty()) {
        setError(tr("Enter a password."));
        return;
    }
    if (confirm_ && confirm_->text() != password_->text()) {
        setError(tr("The two passwords differ."));
        return;
    }
    QDialog::accept();
}

std::optional<QString> PasswordDialog::ask(QWidget* parent, const QString& prompt, const QString& error)
{
    PasswordDialog dialog(prompt, false, parent);
    dialog.setError(error);
    if (dialog.exec() != QDialog::Accepted)
        return std::nullopt;
    return dialog.password();
}
