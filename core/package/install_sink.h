// The sink that writes a package's verified content into a staging
// directory beside the installed versions while the verifier reads it, and
// commits it: staging renamed to <version>, `current` switched, state.json
// written (see installer.h for the layout and crash safety). Internal to the
// installer: installer.cpp creates one per install.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/base/fs_util.h"
#include "core/package/install_plan.h"
#include "core/package/installer.h"
#include "core/package/installer_state.h"
#include "core/package/manifest.h"

namespace atmo::installer_detail {

class InstallSink final : public EntrySink {
public:
    InstallSink(const InstallOptions& options, TierDecision& decision)
        : options_(options), decision_(decision)
    {
    }

    void onMetadata(const std::string& name, const std::string& bytes) override;

    void onManifest(const Manifest& manifest, std::optional<int> tier) override;

    bool supportsConcurrentFiles() const override { return true; }

    // Concurrent mode: one writer per file, from the verifier's workers.
    class Writer;

    std::unique_ptr<FileWriter> openFile(const ContentFile& file) override;

    bool beginFile(const ContentFile& file) override;

    // Creates file.path inside staging, refusing links at every level.
    UniqueFd createInStaging(const ContentFile& file);

    void write(const void* data, std::size_t size) override;

    void endFile(const ContentFile& file) override;

    void abort() override;

    const std::optional<Manifest>& manifest() const { return manifest_; }
    const std::optional<InstallPlan>& plan() const { return plan_; }
    int tier() const { return tier_; }
    bool wrote(const std::string& path) const { return written_.count(path) != 0; }

    // A delta package: makes the files the archive did not carry from the
    // installed base (delta_install.h). Nothing for a full package.
    void rebuild(Observer* observer, const CancelToken& cancel);

    // Moves the verified staging directory into place and records it.
    InstalledPackage commit(const fs::path& packageFile, const std::string& manifestSha256);

private:
    void createDirectories(const std::string& id);

    const InstallOptions& options_;
    TierDecision& decision_;
    int tier_ = 1;
    std::optional<Manifest> manifest_;
    std::string manifestBytes_;
    fs::path idDir_;
    fs::path staging_;
    UniqueFd stagingFd_;
    UniqueFd lock_;
    std::vector<fs::path> created_;
    std::optional<StateRecord> old_;
    std::optional<InstallPlan> plan_;
    bool override_ = false;
    std::mutex mutex_; // dirs_ and written_ in concurrent mode
    std::set<std::string> dirs_;
    std::set<std::string> written_;
    UniqueFd out_;
    std::string outPath_;
    std::uint64_t outSize_ = 0;
    std::uint64_t outBytes_ = 0;
};

} // namespace atmo::installer_detail
