// Preferences: the language (or the system's), the default output folder
// for built packages, the default install root, the mesh: the station's
// name (kept in the station home, <home>/station/name, so `atmosphere serve`
// uses the same), serve or not,
// on which address and port, advertised over mDNS or not, and the download
// caps per size class (PROTOCOL.md's classes; MB/s with MB = 10^6 bytes, the
// core's unit; 0 shows as "Uncapped", the LAN default).
#pragma once

#include <QDialog>

#include "core/package/station_home.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QSpinBox;
class QLineEdit;
class Settings;

class SettingsDialog : public QDialog {
    Q_OBJECT
public:
    // home: the station home whose name the dialog shows and sets.
    SettingsDialog(Settings& settings, const atmo::StationHome& home, QWidget* parent = nullptr);

    QComboBox* languageCombo() const { return language_; }
    QLineEdit* nameEdit() const { return name_; }
    void accept() override;
    bool languageChanged() const { return languageChanged_; }
    bool meshChanged() const { return meshChanged_; }
    bool capsChanged() const { return capsChanged_; }
    bool relayCapsChanged() const { return relayCapsChanged_; }
    QCheckBox* relayCapsBox() const { return relayCapsOn_; }
    QDoubleSpinBox* relayCapBox(int i) const { return relayCaps_[i]; } // 0: 10-500 MB, 1: over 500 MB
    // Small (< 10 MB), medium (10–500 MB), large (> 500 MB).
    QDoubleSpinBox* capBox(int sizeClass) const { return caps_[sizeClass]; }

private:
    Settings& settings_;
    const atmo::StationHome home_;
    QComboBox* language_;
    QLineEdit* output_;
    QLineEdit* installRoot_;
    QLineEdit* name_;
    QCheckBox* serve_;
    QLineEdit* bind_;
    QSpinBox* port_;
    QCheckBox* mdns_;
    QLabel* meshError_;
    QDoubleSpinBox* caps_[3];
    QCheckBox* relayCapsOn_;
    QDoubleSpinBox* relayCaps_[2];
    bool languageChanged_ = false;
    bool meshChanged_ = false;
    bool capsChanged_ = false;
    bool relayCapsChanged_ = false;
};
