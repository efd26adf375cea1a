#include "ui/PackageWizard.h"

#include "app/StationContext.h"
#include "ui/BuildPage.h"
#include "ui/ContentsPage.h"
#include "ui/Icons.h"
#include "ui/MissionPage.h"
#include "ui/SigningPage.h"
#include "ui/TiersPage.h"

PackageWizard::PackageWizard(StationContext& context, QWidget* parent)
    : QWizard(parent), context_(context), contents_(new MissionContentsModel(this))
{
    setWindowTitle(tr("Build a package"));
    setWindowIcon(Icons::application());
    setWizardStyle(QWizard::ClassicStyle);
    setOption(QWizard::NoBackButtonOnLastPage, true);
    setOption(QWizard::NoCancelButtonOnLastPage, false);
    setButtonText(QWizard::CommitButton, tr("&Build"));
    missionPage_ = new MissionPage(this);
    contentsPage_ = new ContentsPage(this);
    tiersPage_ = new TiersPage(this);
    signingPage_ = new SigningPage(this);
    buildPage_ = new BuildPage(this);
    setPage(MissionPageId, missionPage_);
    setPage(ContentsPageId, contentsPage_);
    setPage(TiersPageId, tiersPage_);
    setPage(SigningPageId, signingPage_);
    setPage(BuildPageId, buildPage_);
    setStartId(MissionPageId);
    resize(880, 640);
}

void PackageWizard::reject()
{
    buildPage_->cancelBuild();
    meshKey.reset();
    founderKey.reset();
    QWizard::reject();
}
