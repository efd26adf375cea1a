// Preferences: the language (or the system's), the default output folder
// for built packages, the default install root, and the mesh: serve or not,
// on which address and port, advertised over mDNS or not.
#pragma once

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLabel;
class QSpinBox;
class QLineEdit;
class Settings;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(Settings& settings, QWidget* parent = nullptr);

    QComboBox* languageCombo() const { return language_; }
    void accept() override;
    bool languageChanged() const { return languageChanged_; }
    bool meshChanged() const { return meshChanged_; }

private:
    Settings& settings_;
    QComboBox* language_;
    QLineEdit* output_;
    QLineEdit* installRoot_;
    QCheckBox* serve_;
    QLineEdit* bind_;
    QSpinBox* port_;
    QCheckBox* mdns_;
    QLabel* meshError_;
    bool languageChanged_ = false;
    bool meshChanged_ = false;
};
