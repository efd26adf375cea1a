// Wizard page 3: the package version (the next one after the last built is
// suggested), which packages to write — the full package and/or one export
// per tier, each with its size computed from the current model tiers — the
// output folder and compression, and whether they are delta updates from an
// earlier version this station built (only what changed travels).
#pragma once

#include <QList>
#include <QWizardPage>

#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QVBoxLayout;
class PackageWizard;

class TiersPage : public QWizardPage {
    Q_OBJECT
public:
    explicit TiersPage(PackageWizard* wizard);

    void initializePage() override;
    bool isComplete() const override;
    bool validatePage() override;

    QLineEdit* versionEdit() const { return version_; }
    QLineEdit* outputEdit() const { return output_; }
    QCheckBox* fullBox() const { return full_; }
    QCheckBox* tierBox(int tier) const;
    QCheckBox* zstdBox() const { return zstd_; }
    QLabel* messageLabel() const { return message_; }
    QComboBox* deltaFromBox() const { return deltaFrom_; }
    QLabel* deltaNote() const { return deltaNote_; }

private:
    void refresh();
    void refreshDeltaChoices();
    std::string fileNameFor(std::optional<int> tier) const;
    std::vector<std::optional<int>> selectedOutputs() const;
    QString blockingProblem() const;

    PackageWizard* wizard_;
    QLineEdit* version_;
    QLabel* latest_;
    QCheckBox* full_;
    QVBoxLayout* tierLayout_;
    std::vector<std::pair<int, QCheckBox*>> tierBoxes_;
    QList<QLabel*> tierNotes_;
    QCheckBox* zstd_;
    QLineEdit* output_;
    QPushButton* browse_;
    QLabel* total_;
    QLabel* message_;
    QComboBox* deltaFrom_;
    QLabel* deltaNote_;
};
