// Preferences: the language (or the system's), the default output folder
// for built packages and the default install root.
#pragma once

#include <QDialog>

class QComboBox;
class QLineEdit;
class Settings;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    explicit SettingsDialog(Settings& settings, QWidget* parent = nullptr);

    QComboBox* languageCombo() const { return language_; }
    void accept() override;
    bool languageChanged() const { return languageChanged_; }

private:
    Settings& settings_;
    QComboBox* language_;
    QLineEdit* output_;
    QLineEdit* installRoot_;
    bool languageChanged_ = false;
};
