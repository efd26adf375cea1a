// What another station's GET /v1/packages says, parsed: the documented
// example, one bad package skipped with its reason while the others stay,
// URLs that point elsewhere refused, whole-document failures, and which
// offered versions are updates of installed packages; the deltas list (a bad
// delta skipped alone), percent-encoded versions, and which delta goes onto
// what is installed.
#include <QtTest>

#include "core/package/installer.h"
#include "core/mesh/package_offers.h"
#include "test_main.h"

using namespace atmo;

namespace {

const std::string kSha(64, 'a');
const std::string kSha2(64, 'b');

std::string file(const std::string& id, const std::string& version, const std::string& tier, const std::string& sha,
                 const std::string& url = {})
{
    const std::string path = url.empty() ? packageFileUrl(id, version, tier == "null" ? std::nullopt
                                                                                      : std::optional<int>(std::stoi(tier)))
                                         : url;
    return R"({"variant":"x","tier":)" + tier + R"(,"file_name":"f.atmo","size_bytes":1234,"sha256":")" + sha +
           R"(","url":")" + path + R"("})";
}

std::string delta(const std::string& id, const std::string& version, const std::string& from, const std::string& tier,
                  const std::string& baseSha, const std::string& url = {})
{
    const auto t = tier == "null" ? std::nullopt : std::optional<int>(std::stoi(tier));
    return R"({"variant":"x","from":")" + from + R"(","tier":)" + tier +
           R"(,"file_name":"d.atmo","size_bytes":99,"sha256":")" + kSha + R"(","base_manifest_sha256":")" + baseSha +
           R"(","url":")" + (url.empty() ? packageDeltaUrl(id, version, from, t) : url) + R"("})";
}

std::string package(const std::string& id, const std::string& version, const std::string& files,
                    const std::string& deltas = {})
{
    return R"({"id":")" + id + R"(","version":")" + version + R"(","name":"Inspection","created":"2026-11-21T16:07:38Z",)"
           R"("tiers":[2,1,2],"files":[)" + files + "]" + (deltas.empty() ? "" : R"(,"deltas":[)" + deltas + "]") + "}";
}

const char* why(const Result<PackageListing>& r) { return r.ok() ? "" : r.message().c_str(); }

InstalledPackage installed(const std::string& id, const std::string& version)
{
    InstalledPackage p;
    p.id = id;
    p.version = version;
    return p;
}

} // namespace

class TestPackageOffers : public QObject {
    Q_OBJECT
private slots:
    void parsesTheDocumentedListing()
    {
        const std::string doc = R"({"packages":[)" +
                                package("production-inspection", "1.3",
                                        file("production-inspection", "1.3", "1", kSha2) + "," +
                                            file("production-inspection", "1.3", "null", kSha)) +
                                "]}";
        auto listing = parsePackageListing(doc);
        QVERIFY2(listing.ok(), why(listing));
        QCOMPARE(listing->packages.size(), std::size_t(1));
        QVERIFY(listing->skipped.empty());
        const auto& p = listing->packages[0];
        QCOMPARE(p.id, std::string("production-inspection"));
        QCOMPARE(p.version, std::string("1.3"));
        QCOMPARE(p.name, std::string("Inspection"));
        QCOMPARE(p.tiers, (std::vector<int>{1, 2}));
        QCOMPARE(p.files.size(), std::size_t(2));
        QVERIFY(!p.files[0].tier); // full first
        QCOMPARE(p.files[0].variant(), std::string("full"));
        QCOMPARE(p.files[0].sha256, kSha);
        QCOMPARE(p.files[1].variant(), std::string("tier1"));
        QCOMPARE(p.files[1].url, std::string("/v1/packages/production-inspection/1.3/tier1.atmo"));
        QCOMPARE(p.files[1].sizeBytes, std::uint64_t(1234));
    }

    void skipsBadPackagesAndKeepsTheRest()
    {
        const std::string good = package("good", "2.0", file("good", "2.0", "null", kSha));
        const std::vector<std::pair<std::string, std::string>> bad = {
            {package("../etc", "1.0", file("../etc", "1.0", "null", kSha)), "id is not a package id"},
            {package("p", "1.0; rm", file("p", "1.0; rm", "null", kSha)), "version is not a version"},
            {package("p", "1.0", file("p", "1.0", "null", "ABC")), "sha256 of full is not 64 lowercase hex"},
            {package("p", "1.0", file("p", "1.0", "null", kSha, "http://evil.example/x.atmo")), "url of full is not"},
            {package("p", "1.0", file("p", "1.0", "null", kSha, "/v1/packages/other/1.0/package.atmo")), "url of full is not"},
            {package("p", "1.0", file("p", "1.0", "1", kSha) + "," + file("p", "1.0", "1", kSha)), "tier1 is listed twice"},
            {package("p", "1.0", ""), "no files"},
            {package("p", "1.0", file("p", "1.0", "0", kSha)), "tier is not a tier number"},
            {R"({"id":"p","version":"1.0","files":"x"})", "files is not a list"},
            {R"("just text")", "not an object"},
            {R"({"id":"p","version":1.0,"files":[]})", "version is not a string"},
        };
        for (const auto& [pkg, reason] : bad) {
            auto listing = parsePackageListing(R"({"packages":[)" + pkg + "," + good + "]}");
            QVERIFY2(listing.ok(), why(listing));
            QCOMPARE(listing->packages.size(), std::size_t(1));
            QCOMPARE(listing->packages[0].id, std::string("good"));
            QCOMPARE(listing->skipped.size(), std::size_t(1));
            QVERIFY2(listing->skipped[0].find("package #1: ") == 0, listing->skipped[0].c_str());
            QVERIFY2(listing->skipped[0].find(reason) != std::string::npos,
                     (listing->skipped[0] + " should say " + reason).c_str());
        }
        // The same id and version twice: the second is skipped.
        auto twice = parsePackageListing(R"({"packages":[)" + good + "," + good + "]}");
        QVERIFY(twice.ok());
        QCOMPARE(twice->packages.size(), std::size_t(1));
        QCOMPARE(twice->skipped.size(), std::size_t(1));
    }

    void refusesUnusableDocuments()
    {
        for (const char* doc : {"", "{", "[]", R"({"packages":{}})", R"({"models":[]})"}) {
            auto listing = parsePackageListing(doc);
            QVERIFY2(!listing.ok(), doc);
            QVERIFY2(listing.message().find("package list: ") == 0, listing.message().c_str());
        }
        // Found by fuzz_package_offers: a number past a double's range is an
        // out_of_range exception in nlohmann::json, not a parse_error; it
        // escaped parsePackageListing and terminated the station.
        for (const char* doc : {R"({"packages":[{"id":"a","version":"1","files":[{"size_bytes":1e400}]}]})", "1E999"}) {
            auto listing = parsePackageListing(doc);
            QVERIFY2(!listing.ok(), doc);
            QCOMPARE(listing.message(), std::string("package list: not valid JSON (a number is out of range)"));
        }
        // Deep nesting is refused as it is read, not built first.
        for (const std::string& doc : {R"({"packages":)" + std::string(5000, '[') + std::string(5000, ']') + "}",
                                       R"({"packages":)" + std::string(1u << 20, '[')}) {
            auto listing = parsePackageListing(doc);
            QVERIFY(!listing.ok());
            QCOMPARE(listing.message(), std::string("package list: nested deeper than 16 levels"));
        }
        const std::string huge(17u << 20, ' ');
        QVERIFY(!parsePackageListing(huge).ok());
        auto empty = parsePackageListing(R"({"packages":[]})");
        QVERIFY(empty.ok());
        QVERIFY(empty->packages.empty());
    }

    void findsNewerVersionsOfInstalledPackages()
    {
        auto offer = [](const std::string& id, const std::string& version) {
            PackageOffer o;
            o.id = id;
            o.version = version;
            return o;
        };
        const std::vector<PackageOffer> offers = {offer("inspection", "1.9"), offer("inspection", "1.10"),
                                                  offer("inspection", "1.2"), offer("sorting", "2.0"),
                                                  offer("weather", "3.0")};
        const auto updates = findUpdates({installed("inspection", "1.9"), installed("sorting", "2.0"),
                                          installed("old", "1.0")},
                                         offers);
        QCOMPARE(updates.size(), std::size_t(1));
        QCOMPARE(updates[0].id, std::string("inspection"));
        QCOMPARE(updates[0].installedVersion, std::string("1.9"));
        QCOMPARE(updates[0].offeredVersion, std::string("1.10")); // numeric, not text order
        QVERIFY(findUpdates({installed("inspection", "2.0")}, offers).empty()); // older offers are not updates
    }

    void parsesDeltasBesideTheFiles()
    {
        const std::string id = "production-inspection";
        const std::string doc =
            R"({"packages":[)" +
            package(id, "1.4", file(id, "1.4", "null", kSha),
                    delta(id, "1.4", "1.2", "null", kSha2) + "," + delta(id, "1.4", "1.3", "1", kSha2) + "," +
                        delta(id, "1.4", "1.3", "null", kSha)) +
            "]}";
        auto listing = parsePackageListing(doc);
        QVERIFY2(listing.ok(), why(listing));
        QVERIFY(listing->skipped.empty());
        const auto& p = listing->packages.at(0);
        QCOMPARE(p.files.size(), std::size_t(1));
        QVERIFY(!p.files[0].isDelta());
        QCOMPARE(p.deltas.size(), std::size_t(3));
        // Newest base first, the full package's delta before a tier's.
        QCOMPARE(p.deltas[0].variant(), std::string("from-1.3"));
        QCOMPARE(p.deltas[1].variant(), std::string("from-1.3-tier1"));
        QCOMPARE(p.deltas[2].variant(), std::string("from-1.2"));
        QCOMPARE(p.deltas[0].url, std::string("/v1/packages/production-inspection/1.4/from-1.3.atmo"));
        QCOMPARE(p.deltas[1].url, std::string("/v1/packages/production-inspection/1.4/from-1.3-tier1.atmo"));
        QCOMPARE(p.deltas[0].baseManifestSha256, kSha);

        // Which one goes onto what is installed: same base version, same
        // signed manifest, same variant.
        QCOMPARE(deltaFor(p, "1.3", kSha, std::nullopt), &p.deltas[0]);
        QCOMPARE(deltaFor(p, "1.3", kSha2, 1), &p.deltas[1]);
        QCOMPARE(deltaFor(p, "1.2", kSha2, std::nullopt), &p.deltas[2]);
        QVERIFY(!deltaFor(p, "1.3", kSha2, std::nullopt)); // 1.3 built again: another manifest
        QVERIFY(!deltaFor(p, "1.3", "", std::nullopt));     // the installed manifest cannot be read
        QVERIFY(!deltaFor(p, "1.1", kSha, std::nullopt));   // no delta from 1.1
        QVERIFY(!deltaFor(p, "1.3", kSha, 2));              // nor for tier 2
        QVERIFY(!deltaFits(p.files[0], "1.3", kSha, std::nullopt)); // a full file is no delta

        // A version held only as a delta is listed with no files.
        auto onlyDelta = parsePackageListing(R"({"packages":[)" + package(id, "1.5", "", delta(id, "1.5", "1.4", "null", kSha)) + "]}");
        QVERIFY2(onlyDelta.ok(), why(onlyDelta));
        QCOMPARE(onlyDelta->packages.size(), std::size_t(1));
        QVERIFY(onlyDelta->packages[0].files.empty());
        QVERIFY(!onlyDelta->packages[0].file(std::nullopt));
    }

    void skipsABadDeltaAloneAndKeepsThePackage()
    {
        const std::string id = "p";
        const std::vector<std::pair<std::string, std::string>> bad = {
            {delta(id, "2.0", "2.0", "null", kSha), "delta from 2.0 is not from an older version"},
            {delta(id, "2.0", "3.0", "null", kSha), "not from an older version"},
            {delta(id, "2.0", "1.0; rm", "null", kSha), "from of a delta is not a version"},
            {delta(id, "2.0", "1.0", "null", "XYZ"), "base_manifest_sha256 of from-1.0 is not 64 lowercase hex"},
            {delta(id, "2.0", "1.0", "null", kSha, "/v1/packages/p/2.0/package.atmo"), "url of from-1.0 is not"},
            {delta(id, "2.0", "1.0", "null", kSha, "/v1/packages/p/2.0/from-1.0.atmo/../../x"), "url of from-1.0 is not"},
            {delta(id, "2.0", "1.0", "null", kSha) + "," + delta(id, "2.0", "1.0", "null", kSha2), "from-1.0 is listed twice"},
            {R"({"from":"1.0"})", "base_manifest_sha256 is missing"},
            {R"("text")", "a delta is not an object"},
            {R"({"from":1.0})", "from is not a string"},
        };
        for (const auto& [deltas, reason] : bad) {
            auto listing = parsePackageListing(R"({"packages":[)" + package(id, "2.0", file(id, "2.0", "null", kSha), deltas) + "]}");
            QVERIFY2(listing.ok(), why(listing));
            QCOMPARE(listing->packages.size(), std::size_t(1)); // the full package stays
            QCOMPARE(listing->packages[0].files.size(), std::size_t(1));
            QCOMPARE(listing->skipped.size(), std::size_t(1));
            QVERIFY2(listing->skipped[0].find("p 2.0: delta #") == 0, listing->skipped[0].c_str());
            QVERIFY2(listing->skipped[0].find(reason) != std::string::npos,
                     (listing->skipped[0] + " should say " + reason).c_str());
        }
        // With no files and only bad deltas, nothing is left to offer.
        auto none = parsePackageListing(R"({"packages":[)" + package(id, "2.0", "", delta(id, "2.0", "2.1", "null", kSha)) + "]}");
        QVERIFY(none.ok());
        QVERIFY(none->packages.empty());
        QCOMPARE(none->skipped.size(), std::size_t(2));
        QVERIFY2(none->skipped[1].find("no files") != std::string::npos, none->skipped[1].c_str());
        // deltas that is not a list spoils the package, as files would.
        auto notList = parsePackageListing(R"({"packages":[{"id":"p","version":"2.0","files":[],"deltas":{}}]})");
        QVERIFY(notList.ok());
        QVERIFY(notList->packages.empty());
    }

    void versionsWithAPlusArePercentEncoded()
    {
        // A server writes "+" in a path segment as %2B (QUrl does, so does
        // the station); a listing must match that, or a "1.3+b2" package
        // was skipped by every peer.
        QCOMPARE(packageFileUrl("p", "1.3+b2", std::nullopt), std::string("/v1/packages/p/1.3%2Bb2/package.atmo"));
        QCOMPARE(packageDeltaUrl("p", "1.4+b1", "1.3+b2", 2),
                 std::string("/v1/packages/p/1.4%2Bb1/from-1.3%2Bb2-tier2.atmo"));
        QCOMPARE(packageDeltaFileSegment("1.3+b2", 2), std::string("from-1.3+b2-tier2.atmo"));
        auto listing = parsePackageListing(R"({"packages":[)" + package("p", "1.3+b2", file("p", "1.3+b2", "null", kSha)) + "]}");
        QVERIFY2(listing.ok(), why(listing));
        QCOMPARE(listing->packages.size(), std::size_t(1));
        QCOMPARE(listing->packages[0].version, std::string("1.3+b2"));
    }
};

ATMO_TEST_APPLESS_MAIN(TestPackageOffers)
#include "tst_package_offers.moc"
