#include "app/VerifyNote.h"

#include "app/ErrorText.h"
#include "app/Format.h"
#include "app/QtStrings.h"

QString VerifyNote::reason(const atmo::VerifyReport& r)
{
    using P = atmo::VerifyProblem;
    if (r.ok)
        return {};
    const QString file = q(r.file.filename().string());
    const QString path = q(r.problemPath);
    const QString key = q(r.problemKeyId);
    switch (r.problem) {
    case P::None:
    case P::Other:
        // Not about the package itself (storing it failed, say): the error's
        // kind, or the details when it has none.
        return r.code == atmo::ErrorCode::Failed ? tr("The package could not be checked (see the details).")
                                                 : ErrorText::sentence(r.code, file, q(r.reason));
    case P::Unreadable: return ErrorText::sentence(r.code, file, q(r.reason));
    case P::NotAPackage: return tr("%1 is not an Atmosphere package.").arg(file);
    case P::Damaged:
        return path.isEmpty() ? tr("The archive is damaged or cut short.")
                              : tr("The archive is damaged at %1.").arg(path);
    case P::NoMeshSignature: return tr("The package carries no mesh authority signature.");
    case P::UntrustedSigner:
        return tr("The package is signed by key %1, which this station does not trust as mesh authority.").arg(key);
    case P::BadMeshSignature:
        return tr("The mesh authority signature does not match the package: its manifest was changed after "
                  "signing, or the signature is damaged.");
    case P::BadFounderSignature: return tr("The founder signature does not match the package's manifest.");
    case P::FounderSignatureMissing:
        return tr("The manifest names a founder signature by key %1, but the package does not carry it.").arg(key);
    case P::SignerMismatch: return tr("A signature was made by key %1, not by the key the manifest names.").arg(key);
    case P::FileAltered: return tr("%1 does not match its checksum: it was altered or damaged.").arg(path);
    case P::FileWrongSize: return tr("%1 is not the size the manifest says.").arg(path);
    case P::FileTruncated: return tr("%1 is cut short.").arg(path);
    case P::FileMissing: return tr("%1 is missing from the package.").arg(path);
    case P::WrongTierExport:
        return r.tier ? tr("This is an export for %1: it lacks files a %2 device needs.")
                            .arg(Format::tiers(r.completeTiers), Format::tier(*r.tier))
                      : tr("This export lacks files this device needs.");
    case P::NoTierFits:
        return r.manifest ? tr("The package is built for %1, none of which suits this device.")
                                .arg(Format::tiers(r.manifest->tiers))
                          : tr("The package is built for tiers none of which suits this device.");
    case P::Malformed: return tr("The package breaks a rule of the package format (see the details).");
    case P::Cancelled: return tr("The check was cancelled.");
    }
    return q(r.reason);
}

QString VerifyNote::fileProblem(const atmo::FileCheck& f)
{
    using P = atmo::VerifyProblem;
    if (f.state != atmo::FileState::Failed && f.state != atmo::FileState::Missing)
        return {};
    switch (f.problem) {
    case P::FileAltered: return tr("Altered or damaged: its SHA-256 differs from the manifest's");
    case P::FileWrongSize: return tr("Not the size the manifest says");
    case P::FileTruncated: return tr("Cut short");
    case P::FileMissing: return tr("Missing from the package");
    case P::WrongTierExport: return tr("Not in this export, and needed for this device's tier");
    case P::Damaged: return tr("The archive is damaged here");
    case P::Cancelled: return tr("The check was cancelled here");
    default: return tr("The check stopped here (see the details)");
    }
}
