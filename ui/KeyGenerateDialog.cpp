#include "ui/KeyGenerateDialog.h"

#include "ui/StatusColors.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRegularExpressionValidator>
#include <QVBoxLayout>

#include "app/Format.h"

KeyGenerateDialog::KeyGenerateDialog(const QString& keysDir, QWidget* parent) : QDialog(parent), keysDir_(keysDir)
{
    setWindowTitle(tr("Generate a signing key"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("The key pair is written to %1. Keep the secret key safe: anyone with it (and its "
                                "password) can sign packages.")
                                 .arg(keysDir),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    name_ = new QLineEdit(this);
    name_->setAccessibleName(tr("Key name"));
    name_->setValidator(new QRegularExpressionValidator(QRegularExpression(QStringLiteral("[A-Za-z0-9._-]{1,64}")), name_));
    name_->setPlaceholderText(tr("e.g. plant-mesh-authority"));
    form->addRow(tr("&Name:"), name_);
    password_ = new QLineEdit(this);
    password_->setEchoMode(QLineEdit::Password);
    password_->setAccessibleName(tr("Password"));
    form->addRow(tr("&Password:"), password_);
    confirm_ = new QLineEdit(this);
    confirm_->setEchoMode(QLineEdit::Password);
    confirm_->setAccessibleName(tr("Repeat password"));
    form->addRow(tr("&Repeat:"), confirm_);
    unencrypted_ = new QCheckBox(tr("Store the secret key &unencrypted (not recommended)"), this);
    unencrypted_->setAccessibleName(tr("Store the secret key unencrypted"));
    form->addRow(QString(), unencrypted_);
    connect(unencrypted_, &QCheckBox::toggled, this, [this](bool on) {
        password_->setEnabled(!on);
        confirm_->setEnabled(!on);
    });
    trust_ = new QComboBox(this);
    trust_->setAccessibleName(tr("Trust this key on this station as"));
    trust_->addItem(tr("Do not trust it here"), -1);
    trust_->addItem(Format::trustRole(atmo::TrustRole::Mesh), static_cast<int>(atmo::TrustRole::Mesh));
    trust_->addItem(Format::trustRole(atmo::TrustRole::Founder), static_cast<int>(atmo::TrustRole::Founder));
    trust_->setCurrentIndex(1);
    form->addRow(tr("&Trust here as:"), trust_);
    layout->addLayout(form);
    error_ = new QLabel(this);
    error_->setStyleSheet(StatusColors::errorStyle());
    error_->setWordWrap(true);
    error_->hide();
    layout->addWidget(error_);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Generate"));
    connect(buttons, &QDialogButtonBox::accepted, this, &KeyGenerateDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    setMinimumWidth(460);
}

QString KeyGenerateDialog::name() const { return name_->text().trimmed(); }

std::optional<QString> KeyGenerateDialog::password() const
{
    if (unencrypted_->isChecked())
        return std::nullopt;
    return password_->text();
}

std::optional<atmo::TrustRole> KeyGenerateDialog::trustAs() const
{
    const int v = trust_->currentData().toInt();
    if (v < 0)
        return std::nullopt;
    return static_cast<atmo::TrustRole>(v);
}

void KeyGenerateDialog::accept()
{
    QString error;
    if (name().isEmpty())
        error = tr("Enter a name for the key.");
    else if (QFileInfo::exists(keysDir_ + QLatin1Char('/') + name() + QStringLiteral(".key")) ||
             QFileInfo::exists(keysDir_ + QLatin1Char('/') + name() + QStringLiteral(".pub")))
        error = tr("A key named “%1” already exists.").arg(name());
    else if (!unencrypted_->isChecked() && password_->text().isEmpty())
        error = tr("Enter a password, or choose to store the key unencrypted.");
    else if (!unencrypted_->isChecked() && password_->text() != confirm_->text())
        error = tr("The two passwords differ.");
    error_->setText(error);
    error_->setVisible(!error.isEmpty());
    if (error.isEmpty())
        QDialog::accept();
}
