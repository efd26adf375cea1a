// A whole .atmo through the package verifier (core/package/package_verifier.h), with
// a trust store that trusts the fixture key (fuzz_util.h) as the mesh
// authority, so seed packages signed with it get past the signature and the
// fuzzer explores checksums, custody, tar headers and content after it.
// The first input byte: bits 0-1 pick the device's tier (0: none, else
// 1..3); bit 2 clear gives a sink that stores nothing but sees every call an
// installer would (sequential verification), set gives no sink (parallel
// hashing of an uncompressed archive). The rest is the archive, written to a
// file.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "core/package/package_verifier.h"
#include "core/package/trust_store.h"
#include "fuzz_util.h"

namespace {

class CountingSink : public atmo::EntrySink {
public:
    std::uint64_t bytes = 0;
    bool inFile = false;
    void onManifest(const atmo::Manifest&, std::optional<int>) override { manifests++; }
    bool beginFile(const atmo::ContentFile&) override
    {
        FUZZ_CHECK(!inFile);
        inFile = true;
        return true;
    }
    void write(const void* data, std::size_t size) override
    {
        FUZZ_CHECK(inFile);
        bytes += size;
    }
    void endFile(const atmo::ContentFile&) override
    {
        FUZZ_CHECK(inFile);
        inFile = false;
    }
    void abort() override { aborted = true; }
    int manifests = 0;
    bool aborted = false;
};

const atmo::TrustStore& trust()
{
    static const std::unique_ptr<atmo::TrustStore> store = [] {
        auto s = std::make_unique<atmo::TrustStore>(fuzz::tempDir() / "trust");
        auto added = s->add(fuzz::fixtureKey().publicKey(), atmo::TrustRole::Mesh, "fuzz fixture");
        if (!added)
            std::abort();
        return s;
    }();
    return *store;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    if (size == 0)
        return 0;
    const fuzz::fs::path file = fuzz::tempDir() / "verify.atmo";
    fuzz::writeFile(file, std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1));
    CountingSink sink;
    atmo::VerifyOptions o;
    o.trust = &trust();
    if (data[0] % 4)
        o.tier = data[0] % 4;
    const bool withSink = !(data[0] & 4);
    o.sink = withSink ? &sink : nullptr;
    const atmo::VerifyReport r = atmo::verifyPackage(file, o, nullptr, atmo::CancelToken());
    if (r.ok) {
        FUZZ_CHECK(r.manifest.has_value());
        FUZZ_CHECK(!sink.aborted);
        FUZZ_CHECK(!withSink || sink.manifests == 1);
        for (const auto& f : r.files)
            FUZZ_CHECK(f.state == atmo::FileState::Ok || f.state == atmo::FileState::NotInArchive);
    } else {
        FUZZ_CHECK(!r.reason.empty());
    }
    return 0;
}
