#include "core/package/installer.h"

#include <algorithm>

#include "core/base/fs_util.h"
#include "core/package/install_sink.h"
#include "core/package/installer_state.h"
#include "core/package/manifest.h"
#include "core/package/package_tier.h"
#include "core/base/text.h"

// Layout and crash safety (see installer.h):
//  * content streams into <root>/<id>/.staging-XXXXXX; each file is fsynced
//    when complete, the staging directories before the rename;
//  * the staging directory is renamed to <version> (when <version> already
//    exists it is swapped in with renameat2(RENAME_EXCHANGE), so the name
//    never disappears even while `current` points at it);
//  * `current` is switched by renaming a fresh symlink over it;
//  * state.json is then replaced atomically. `current` is the commit point:
//    a reader that finds state.json behind `current` (a crash between the two)
//    reconciles from the link (see reconcile()).
// Installs and rollbacks of one package hold an exclusive flock on
// <root>/<id> and refuse to run concurrently. Leftovers of a crashed install
// (.staging-*, .old-*, .current-*, orphan version directories) are removed by
// the next successful install, never by a failing one.

namespace atmo {

namespace fs = std::filesystem;

namespace {

using namespace installer_detail;

// After the verifier's "this archive is a tier_1 export: ...": the device's
// tier and why, and what to do: "; this device is tier_2 (15.5 GiB RAM >=
// 8 GB, ...): use the full package or a tier_2 export, or install it as
// tier_1 with --tier tier_1".
std::string tierMismatchAdvice(const TierDecision& decision, int checked, const std::vector<int>& complete)
{
    std::string why = decision.reason;
    if (const std::string prefix = tierName(decision.tier) + ": "; startsWith(why, prefix))
        why.erase(0, prefix.size());
    std::string out = "; this device is " + tierName(decision.tier) + " (" + why + ")";
    if (checked != decision.tier)
        out += ", checked as " + tierName(checked);
    out += ": use the full package or a " + tierName(checked) + " export";
    std::optional<int> lower;
    for (int t : complete)
        if (t < checked)
            lower = t;
    if (lower)
        out += ", or install it as " + tierName(*lower) + " with --tier " + tierName(*lower);
    return out;
}

} // namespace

InstallResult installPackage(const fs::path& file, const InstallOptions& options, VerifyObserver* observer,
                             const CancelToken& cancel)
{
    InstallResult result;
    result.report.file = file;
    auto refuse = [&](std::string reason) {
        result.report.ok = false;
        result.report.reason = std::move(reason);
        return result;
    };
    if (options.root.empty())
        return refuse("no install root given");
    if (!options.trust)
        return refuse("no trust store given");

    VerifyOptions vo;
    vo.trust = options.trust;
    HardwareInfo hw;
    if (options.tier) {
        if (*options.tier < 1 || *options.tier > kMaxTier)
            return refuse("tier " + std::to_string(*options.tier) + " is not a valid tier");
        result.tier = operatorTier(*options.tier);
        vo.tier = result.tier.tier;
    } else {
        // The station's thresholds until the signed manifest is read; then
        // the package's own requirements when it carries them.
        hw = detectHardware(options.root);
        result.tier = decideTier(hw, options.policy);
        vo.deviceTier = [&](const Manifest& m) {
            result.tier = decidePackageTier(hw, m, options.policy);
            return result.tier.tier;
        };
    }

    InstallSink sink(options, result.tier);
    vo.sink = &sink;
    result.report = verifyPackage(file, vo, observer, cancel);

    result.plan = sink.plan();
    VerifyReport& report = result.report;
    if (report.tierMismatch && report.tier)
        report.reason += tierMismatchAdvice(result.tier, *report.tier, report.completeTiers);
    if (report.ok && !sink.manifest()) {
        report.ok = false;
        report.reason = "the package was verified but never reached the installer";
    }
    if (report.ok) {
        // The verifier already requires every file of the tier; this only
        // guards against a sink that was skipped for one of them.
        for (const ContentFile* f : sink.manifest()->archiveFilesForTier(sink.tier())) {
            if (!sink.wrote(f->path)) {
                report.ok = false;
                report.reason = f->path + " was verified but not installed";
                break;
            }
        }
    }
    if (report.ok && cancel.cancelled()) {
        report.ok = false;
        report.reason = "cancelled";
        report.code = ErrorCode::Cancelled;
    }
    if (!report.ok) {
        sink.abort();
        return result;
    }

    if (observer)
        observer->onProgress(Progress{Phase::Installing, 0, 1, sink.manifest()->id + " " + sink.manifest()->version});
    try {
        sink.rebuild(observer, cancel);
        result.installed = sink.commit(file, report.manifestSha256);
    } catch (const std::exception& e) {
        sink.abort();
        report.ok = false;
        report.reason = e.what();
        report.code = currentError().code;
        return result;
    }
    if (observer)
        observer->onProgress(Progress{Phase::Installing, 1, 1, sink.manifest()->id + " " + sink.manifest()->version});
    return result;
}

std::optional<InstalledPackage> findInstalled(const fs::path& root, const std::string& id)
{
    if (!isValidPackageId(id))
        return std::nullopt;
    const fs::path idDir = root / id;
    auto s = loadInstalled(idDir, id);
    if (!s)
        return std::nullopt;
    return toInstalled(idDir, *s);
}

std::vector<InstalledPackage> listInstalled(const fs::path& root)
{
    std::vector<std::string> ids;
    std::error_code ec;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (name[0] != '.' && isValidPackageId(name) && isDir(it->path()))
            ids.push_back(name);
    }
    std::sort(ids.begin(), ids.end());
    std::vector<InstalledPackage> out;
    for (const auto& id : ids)
        if (auto p = findInstalled(root, id))
            out.push_back(std::move(*p));
    return out;
}

Status rollbackPackage(const fs::path& root, const std::string& id)
{
    return guarded([&]() -> Status {
        if (!isValidPackageId(id))
            return fail("'" + id + "' is not a valid package id");
        const fs::path idDir = root / id;
        if (!isDir(idDir))
            return fail(id + " is not installed in " + root.string());
        UniqueFd lock = lockPackageDir(idDir, id);
        auto s = loadInstalled(idDir, id);
        if (!s)
            return fail(id + " is not installed in " + root.string());
        if (!s->previous)
            return fail(id + " " + s->current.version + ": no previous version to roll back to");

        const VersionRecord from = s->current;
        StateRecord next = *s;
        next.current = *s->previous;
        next.previous = from;
        next.history.push_back(utcTimestamp() + " rollback " + from.version + " -> " + next.current.version
                               + " (" + tierName(next.current.tier) + ")");
        const std::string stateBytes = stateText(next);
        switchCurrent(idDir, next.current.version);
        const Status st = writeFileAtomic(idDir / kState, stateBytes);
        if (!st) {
            try {
                switchCurrent(idDir, from.version);
            } catch (const Failure&) {
            }
            return st;
        }
        return {};
    });
}

} // namespace atmo
