// The package builder: mission → contents → version and tiers → signing →
// build. The wizard holds what the pages decide; each page reads and writes
// it through the accessors below. Mission changes (id, name, tiers, model
// tiers) are written back to config/mission.yaml so the CLI builds the same
// package from the same folder.
#pragma once

#include <QWizard>

#include <optional>
#include <vector>

#include "app/MissionContentsModel.h"
#include "core/package/archive_writer.h"
#include "core/package/minisign.h"

class StationContext;
class MissionPage;
class ContentsPage;
class TiersPage;
class SigningPage;
class BuildPage;

class PackageWizard : public QWizard {
    Q_OBJECT
public:
    enum PageId { MissionPageId, ContentsPageId, TiersPageId, SigningPageId, BuildPageId };

    explicit PackageWizard(StationContext& context, QWidget* parent = nullptr);

    StationContext& context() { return context_; }

    // What the pages decided.
    QString missionDir;
    MissionContentsModel* contents() const { return contents_; }
    QString version;
    QString outputDir;
    std::vector<std::optional<int>> outputs; // nullopt: the full package
    QString deltaFrom;        // a delta update from this earlier package (a file); empty: complete packages
    QString deltaFromVersion; // its version
    atmo::Compression compression = atmo::Compression::None;
    std::optional<atmo::SecretKey> meshKey;
    std::optional<atmo::SecretKey> founderKey;

    MissionPage* missionPage() const { return missionPage_; }
    ContentsPage* contentsPage() const { return contentsPage_; }
    TiersPage* tiersPage() const { return tiersPage_; }
    SigningPage* signingPage() const { return signingPage_; }
    BuildPage* buildPage() const { return buildPage_; }

    void reject() override;

signals:
    void verifyRequested(const QString& file);
    void exportRequested(const QString& file); // "Go to USB export" after a build
    void packagesBuilt();
    void titleProgress(const QString& text);

private:
    StationContext& context_;
    MissionContentsModel* contents_;
    MissionPage* missionPage_;
    ContentsPage* contentsPage_;
    TiersPage* tiersPage_;
    SigningPage* signingPage_;
    BuildPage* buildPage_;
};
