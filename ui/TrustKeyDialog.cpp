#include "ui/TrustKeyDialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

#include "app/Format.h"

TrustKeyDialog::TrustKeyDialog(const atmo::PublicKey& key, const QString& suggestedName, QWidget* parent)
    : QDialog(parent)
{
    setWindowTitle(tr("Trust a public key"));
    auto* layout = new QVBoxLayout(this);
    auto* intro = new QLabel(tr("Packages signed by this key will be accepted by this station in the role you "
                                "choose. Compare the key ID with the one its owner gives you."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    auto* form = new QFormLayout;
    auto* id = new QLabel(QString::fromStdString(key.keyId()), this);
    QFont mono = id->font();
    mono.setFamily(QStringLiteral("monospace"));
    mono.setBold(true);
    id->setFont(mono);
    id->setTextInteractionFlags(Qt::TextSelectableByMouse);
    id->setAccessibleName(tr("Key ID"));
    form->addRow(tr("Key ID:"), id);
    name_ = new QLineEdit(suggestedName, this);
    name_->setAccessibleName(tr("Name for this key"));
    form->addRow(tr("&Name:"), name_);
    role_ = new QComboBox(this);
    role_->setAccessibleName(tr("Trust as"));
    role_->addItem(Format::trustRole(atmo::TrustRole::Mesh), static_cast<int>(atmo::TrustRole::Mesh));
    role_->addItem(Format::trustRole(atmo::TrustRole::Founder), static_cast<int>(atmo::TrustRole::Founder));
    form->addRow(tr("Trust &as:"), role_);
    layout->addLayout(form);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    buttons->button(QDialogButtonBox::Ok)->setText(tr("Trust"));
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(name_, &QLineEdit::textChanged, this, [buttons](const QString& t) {
        buttons->button(QDialogButtonBox::Ok)->setEnabled(!t.trimmed().isEmpty());
    });
    buttons->button(QDialogButtonBox::Ok)->setEnabled(!suggestedName.trimmed().isEmpty());
    layout->addWidget(buttons);
    setMinimumWidth(420);
}

QString TrustKeyDialog::name() const { return name_->text().trimmed(); }

atmo::TrustRole TrustKeyDialog::role() const { return static_cast<atmo::TrustRole>(role_->currentData().toInt()); }

void TrustKeyDialog::setRole(atmo::TrustRole role) { role_->setCurrentIndex(role_->findData(static_cast<int>(role))); }
