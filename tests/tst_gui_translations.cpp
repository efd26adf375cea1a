// The German translation is complete and in step with the sources: every
// message translated, placeholders kept, no string missing from the .ts,
// and the compiled translation is what the window shows.
#include <QCoreApplication>
#include <QFile>
#include <QLibraryInfo>
#include <QListWidget>
#include <QProcess>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>
#include <QWizard>
#include <QXmlStreamReader>

#include "app/DemoWorkspace.h"
#include "app/DriveNote.h"
#include "app/KeyNote.h"
#include "app/PackageStatus.h"
#include "app/ErrorText.h"
#include "app/TierReason.h"
#include "app/VerifyNote.h"
#include "core/package/package_tier.h"
#include "app/mesh/DownloadNote.h"
#include "app/LanguageManager.h"
#include "app/StationContext.h"
#include "core/package/package_writer.h"
#include "test_main.h"
#include "testutil.h"
#include "ui/ImportVerifyView.h"
#include "ui/MainWindow.h"
#include "ui/ScreenshotRenderer.h"
#include "visible_text.h"
#include "ui/VerdictBanner.h"

using namespace testutil;

namespace {
struct Message {
    QString context, source, comment;
    QStringList translations;
    QString type;
    bool numerus = false;
};

QList<Message> readTs(const QString& file)
{
    QList<Message> out;
    QFile f(file);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    QXmlStreamReader xml(&f);
    QString context;
    Message m;
    while (!xml.atEnd()) {
        xml.readNext();
        if (xml.isStartElement()) {
            const auto name = xml.name();
            if (name == QLatin1String("name")) {
                context = xml.readElementText();
            } else if (name == QLatin1String("message")) {
                m = Message{context, {}, {}, {}, {}, xml.attributes().value("numerus") == QLatin1String("yes")};
            } else if (name == QLatin1String("source")) {
                m.source = xml.readElementText();
            } else if (name == QLatin1String("comment")) {
                m.comment = xml.readElementText();
            } else if (name == QLatin1String("translation")) {
                m.type = xml.attributes().value("type").toString();
                if (!m.numerus)
                    m.translations << xml.readElementText();
            } else if (name == QLatin1String("numerusform")) {
                m.translations << xml.readElementText();
            }
        } else if (xml.isEndElement() && xml.name() == QLatin1String("message")) {
            out << m;
        }
    }
    return out;
}

QSet<QString> placeholders(const QString& s)
{
    static const QRegularExpression re(QStringLiteral("%(\\d|n)"));
    QSet<QString> out;
    for (auto it = re.globalMatch(s); it.hasNext();)
        out << it.next().captured(0);
    return out;
}

QString sourceDir() { return QString::fromLocal8Bit(qgetenv("ATMO_SOURCE_DIR")); }
} // namespace

class TestGuiTranslations : public QObject {
    Q_OBJECT
private slots:
    void germanIsComplete()
    {
        const auto messages = readTs(sourceDir() + "/translations/atmosphere_de.ts");
        QVERIFY(messages.size() > 300);
        QStringList problems;
        for (const Message& m : messages) {
            if (!m.type.isEmpty())
                problems << QString("%1: \"%2\" is %3").arg(m.context, m.source, m.type);
            if (m.translations.isEmpty() || std::any_of(m.translations.begin(), m.translations.end(),
                                                        [](const QString& t) { return t.trimmed().isEmpty(); }))
                problems << QString("%1: \"%2\" has no translation").arg(m.context, m.source);
            for (const QString& t : m.translations) {
                QSet<QString> want = placeholders(m.source);
                QSet<QString> got = placeholders(t);
                if (m.numerus) { // a numerus form may spell out the number ("ein")
                    want.remove("%n");
                    got.remove("%n");
                }
                if (want != got)
                    problems << QString("%1: \"%2\" → \"%3\" changes the placeholders").arg(m.context, m.source, t);
            }
        }
        QVERIFY2(problems.isEmpty(), qPrintable(problems.mid(0, 15).join("\n")));
    }

    void tsFileIsInStepWithTheSources()
    {
        const QString lupdate = QLibraryInfo::path(QLibraryInfo::BinariesPath) + "/lupdate";
        if (!QFile::exists(lupdate))
            QSKIP("lupdate is not installed");
        QTemporaryDir tmp;
        const QString fresh = tmp.filePath("fresh.ts");
        QStringList args{"-no-obsolete", "-locations", "none", "-I", sourceDir(), "-silent"};
        for (const QString& dir : {QString("/app"), QString("/app/gui"), QString("/ui")})
            args << sourceDir() + dir;
        args << "-extensions" << "cpp,h" << "-ts" << fresh;
        QProcess p;
        p.start(lupdate, args);
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        QSet<QString> inSources, inTs;
        for (const Message& m : readTs(fresh))
            inSources << m.context + "\x1f" + m.source;
        for (const Message& m : readTs(sourceDir() + "/translations/atmosphere_de.ts"))
            inTs << m.context + "\x1f" + m.source;
        const QSet<QString> missing = inSources - inTs;
        QStringList list(missing.begin(), missing.end());
        QVERIFY2(missing.isEmpty(), qPrintable("not in atmosphere_de.ts: " + list.join(" | ").replace("\x1f", ": ")));
    }

    void windowSpeaksGermanAndEnglishPlurals()
    {
        LanguageManager language;
        QVERIFY(LanguageManager::available().contains("de"));
        QVERIFY(language.apply("de"));
        QCOMPARE(language.activeLanguage(), QString("de"));
        QCOMPARE(QCoreApplication::translate("Verdict", "Do not install"), QString("Nicht installieren"));
        Sandbox box;
        qputenv("ATMOSPHERE_HOME", box.path().string().c_str());
        {
            StationContext context(QString::fromStdString((box / "s.ini").string()));
            MainWindow window(context);
            QCOMPARE(window.sidebar()->item(0)->text(), QString("Erstellen"));
            QCOMPARE(window.windowTitle(), QString("Atmosphere Station"));
        }
        // Qt's own buttons too (qtbase's German from qt6-translations-l10n):
        // a wizard's Back/Next/Finish/Cancel were English in a German window.
        {
            QWizard wizard;
            QCOMPARE(wizard.buttonText(QWizard::NextButton).remove('&'), QString("Weiter >"));
            QCOMPARE(wizard.buttonText(QWizard::CancelButton).remove('&'), QString("Abbrechen"));
        }
        QVERIFY(language.apply("en"));
        QCOMPARE(QCoreApplication::translate("Format", "%n second(s)", nullptr, 1), QString("1 second"));
        QCOMPARE(QCoreApplication::translate("Format", "%n second(s)", nullptr, 5), QString("5 seconds"));
        QCOMPARE(QCoreApplication::translate("Verdict", "Do not install"), QString("Do not install"));
        // The system locale decides when nothing is chosen.
        QCOMPARE(LanguageManager::resolve({}, QLocale(QLocale::German, QLocale::Austria)), QString("de"));
        QCOMPARE(LanguageManager::resolve({}, QLocale(QLocale::Japanese)), QString("en"));
    }

    // A failure core reports in English reaches the German window in German:
    // the sentence is chosen by its kind and names the thing, and core's
    // English line stays available as the detail.
    void coreFailureReadsInGerman()
    {
        LanguageManager language;
        QVERIFY(language.apply("de"));
        auto restore = qScopeGuard([&] { language.apply("en"); });

        const atmo::Error full{"/media/stick: not enough free space (needs 2.0 GiB, has 1.0 MiB)",
                               atmo::ErrorCode::NoSpace, "/media/stick"};
        QCOMPARE(ErrorText::sentence(full), QString("Nicht genug freier Speicher auf /media/stick."));
        QCOMPARE(ErrorText::detail(full.code, QString::fromStdString(full.message)),
                 QString::fromStdString(full.message));
        QCOMPARE(ErrorText::sentence(atmo::Error{"cancelled", atmo::ErrorCode::Cancelled}), QString("Abgebrochen."));

        // End to end: a package signed by a key this station does not trust.
        Sandbox box;
        makeMission(box / "mission");
        atmo::CreateOptions options;
        options.missionDir = box / "mission";
        options.version = "1.0";
        options.outputDir = box / "out";
        options.meshKey = makeKey();
        options.founderKey = makeKey();
        fs::create_directories(options.outputDir);
        auto created = atmo::createPackage(options, nullptr, atmo::CancelToken());
        QVERIFY2(created, created ? "" : created.message().c_str());
        qputenv("ATMOSPHERE_HOME", (box / "home").string().c_str());
        StationContext context(QString::fromStdString((box / "s.ini").string()));
        ImportVerifyView view(context);
        view.openPackage(QString::fromStdString(created->file.string()));
        QTRY_VERIFY_WITH_TIMEOUT(!view.isBusy(), 30000);
        const Verdict v = view.banner()->verdict();
        QCOMPARE(v.kind, Verdict::Kind::Bad);
        QCOMPARE(v.headline, QString("Nicht installieren"));
        // The reason in German, naming the key; core's English line only as
        // the technical detail (the banner's tooltip).
        const QString key = QString::fromStdString(options.meshKey.keyId());
        QCOMPARE(v.detail, QString("Das Paket ist mit dem Schlüssel %1 signiert, dem diese Station nicht als "
                                   "Mesh-Autorität vertraut.").arg(key));
        QVERIFY2(v.technical.contains("which this station does not trust as mesh authority"), qPrintable(v.technical));
    }

    // A download's failures and peer problems reach the German window in
    // German, whatever the peer or the disk said in English (that stays the
    // tooltip's detail).
    // The tier explanation is worded from core's facts: English with its
    // plural forms, and German.
    void tierReasonReadsInEnglishAndGerman()
    {
        atmo::HardwareInfo hw;
        hw.ramBytes = 15ull << 30;
        hw.cores = 8;
        hw.diskFreeBytes = 100ull << 30;
        const atmo::TierDecision byPolicy = atmo::decideTier(hw, atmo::TierPolicy::defaults());
        const atmo::TierDecision byPackage = atmo::decideTier(hw, {1, 2}, {{2, {8.0, true, 4.0}}});
        LanguageManager language;
        QVERIFY(language.apply("en"));
        QCOMPARE(TierReason::text(byPolicy), QString("tier_2: 15.0 GiB RAM ≥ 8.0 GiB, 8 cores ≥ 4; "
                                                     "tier_3 needs 16.0 GiB RAM (15.0 GiB found) and a GPU (none found)"));
        QCOMPARE(TierReason::text(byPackage), QString("tier_1: no requirements; tier_2 needs a GPU with 4.0 GiB VRAM "
                                                      "(none found)"));
        QCOMPARE(TierReason::text(atmo::operatorTier(3)), QString("tier_3: chosen by the operator"));
        QVERIFY(language.apply("de"));
        auto restore = qScopeGuard([&] { language.apply("en"); });
        const QString de = TierReason::text(byPolicy);
        QVERIFY2(de.startsWith("tier_2: 15,0 GiB RAM ≥ 8,0 GiB, 8 Kerne ≥ 4; tier_3 braucht"), qPrintable(de));
        QVERIFY2(de.contains("eine GPU (keine vorhanden)"), qPrintable(de));
        QCOMPARE(TierReason::text(byPackage).left(26), QString("tier_1: keine Anforderunge"));
    }

    // Every kind of refusal and of drive failure has its German sentence.
    void verifyAndDriveNotesReadInGerman()
    {
        using P = atmo::VerifyProblem;
        const P problems[] = {P::NotAPackage, P::Damaged, P::NoMeshSignature, P::UntrustedSigner, P::BadMeshSignature,
                              P::BadFounderSignature, P::FounderSignatureMissing, P::SignerMismatch, P::FileAltered,
                              P::FileWrongSize, P::FileTruncated, P::FileMissing, P::WrongTierExport, P::NoTierFits,
                              P::Malformed, P::Cancelled};
        using D = atmo::DriveProblem;
        const D drives[] = {D::NotMounted, D::NotAFolder, D::ReadOnly, D::NoPermission, D::NoSpace, D::CannotCreate,
                            D::WriteFailed, D::FlushFailed, D::ReadBackFailed, D::ReadBackDiffers, D::RenameFailed,
                            D::Source, D::Cancelled};
        auto all = [&] {
            QStringList out;
            for (P p : problems) {
                atmo::VerifyReport r;
                r.problem = p;
                r.code = atmo::ErrorCode::BadData;
                r.file = "x.atmo";
                r.problemPath = "models/m.onnx";
                r.problemKeyId = "ABCDEF";
                r.tier = 2;
                r.completeTiers = {1};
                atmo::FileCheck f;
                f.state = atmo::FileState::Failed;
                f.problem = p;
                out << VerifyNote::reason(r) << VerifyNote::fileProblem(f);
            }
            for (D d : drives)
                out << DriveNote::failure(d, atmo::ErrorCode::BadData, "Stick", "x.atmo", "english detail");
            out << DriveNote::ejected(atmo::EjectOutcome{true, {}, false})
                << DriveNote::ejected(atmo::EjectOutcome{false, {}, true})
                << DriveNote::notEjected(atmo::Error{"busy", atmo::ErrorCode::Busy});
            return out;
        };
        const QStringList english = all();
        LanguageManager language;
        QVERIFY(language.apply("de"));
        auto restore = qScopeGuard([&] { language.apply("en"); });
        const QStringList german = all();
        for (int i = 0; i < english.size(); ++i) {
            QVERIFY2(!english[i].contains("english detail"), qPrintable(english[i]));
            QVERIFY2(german[i] != english[i] || english[i].isEmpty(), qPrintable("untranslated: " + english[i]));
        }
    }

    // The signing page's unlock failures and the Build list's status column.
    void keyNotesAndPackageStatusReadInGerman()
    {
        auto all = [] {
            QStringList out;
            using K = atmo::SecretKeyProblem;
            for (K k : {K::WrongPassword, K::NeedsPassword, K::NotAKey, K::NotEnoughMemory, K::Damaged})
                out << KeyNote::unlockFailed(k, "mesh.key", atmo::Error{"english detail"});
            // A file that is there, readable, and not a key.
            out << KeyNote::publicKeyUnusable(QCoreApplication::applicationFilePath(), atmo::Error{"english detail"});
            atmo::StoredPackage p;
            p.file = "/nonexistent/x.atmo";
            out << PackageStatus::of(p).text << PackageStatus::of(p).details;
            p.history.apply(atmo::PackageEvent::VerifyFailed, "2026-12-04T10:00:00Z", {}, 0);
            out << PackageStatus::of(p).text << PackageStatus::of(p).details;
            p.history.apply(atmo::PackageEvent::Verified, "2026-12-04T10:00:00Z", {}, 0);
            out << PackageStatus::of(p).text;
            p.history.apply(atmo::PackageEvent::Exported, "2026-12-04T11:00:00Z", {}, 2);
            p.history.apply(atmo::PackageEvent::Installed, "2026-12-04T12:00:00Z", {}, 0);
            out << PackageStatus::of(p).text << PackageStatus::of(p).details;
            return out;
        };
        LanguageManager language;
        QVERIFY(language.apply("en")); // the window's English, with its plural forms
        const QStringList english = all();
        QCOMPARE(english.at(0), QString("Wrong password for mesh.key."));
        QCOMPARE(english.at(english.size() - 2), QString("Installed · On 2 drives"));
        QVERIFY(language.apply("de"));
        auto restore = qScopeGuard([&] { language.apply("en"); });
        const QStringList german = all();
        for (int i = 0; i < english.size(); ++i) {
            QVERIFY2(!english[i].contains("english detail"), qPrintable(english[i]));
            QVERIFY2(german[i] != english[i], qPrintable("untranslated: " + english[i]));
        }
    }

    // Screenshot mode walks every view (the wizard's pages, a good and a
    // tampered package, keys, USB export, the mesh, settings, invite and
    // join) on the demo workspace; in German, no visible text may be an
    // English sentence or an English button word. What the demo's own
    // content says (mission and model names, trusted comments) is data.
    void everyViewInGermanShowsNoEnglish()
    {
        LanguageManager language;
        QVERIFY(language.apply("de"));
        auto restore = qScopeGuard([&] { language.apply("en"); });
        QTemporaryDir dir;
        DemoWorkspace demo;
        const QString error = demo.create(dir.path() + "/demo");
        QVERIFY2(error.isEmpty(), qPrintable(error));
        StationContext context(atmo::StationHome(fs::path((dir.path() + "/demo/home").toStdString())),
                               dir.path() + "/demo/settings.ini");
        context.settings().setOutputDir(demo.outputDir);
        MainWindow window(context);
        ScreenshotRenderer renderer(window, demo, dir.path() + "/shots");
        QStringList english;
        QSet<QString> seen;
        int views = 0;
        renderer.setInspector([&](const QString& name, QWidget* widget) {
            ++views;
            for (const QString& text : visibletext::collect(widget))
                if (visibletext::looksEnglish(text) && !seen.contains(text)) {
                    seen.insert(text);
                    english << name + ": " + text;
                }
        });
        const int rc = renderer.run();
        QVERIFY2(rc == 0, qPrintable(renderer.error()));
        QVERIFY2(views >= 16, qPrintable(QString::number(views)));
        QVERIFY2(english.isEmpty(), qPrintable("English in the German window:\n" + english.join("\n")));
    }

    void downloadNotesReadInGerman()
    {
        using K = DownloadNote::Kind;
        const K kinds[] = {K::NoPeer,   K::PeersSentBadData, K::NoSpace,         K::DiskFull,
                           K::NoFolder, K::DiskError,        K::BadEntry,        K::PeerSentBadData,
                           K::PeerStopped, K::FetchingAlone, K::FetchingAgain};
        auto note = [](K kind) {
            return DownloadNote{kind, "defects", {"http://127.0.0.1:9", "relay:3f2a"}, "/srv/models", 2ull << 30, 1ull << 20};
        };
        QStringList english;
        for (K kind : kinds)
            english << note(kind).text();
        LanguageManager language;
        QVERIFY(language.apply("de"));
        auto restore = qScopeGuard([&] { language.apply("en"); });
        for (std::size_t i = 0; i < std::size(kinds); ++i) {
            const QString german = note(kinds[i]).text();
            QVERIFY2(!german.isEmpty() && german != english[int(i)], qPrintable(english[int(i)]));
        }
        QCOMPARE(note(K::NoSpace).text(),
                 QString("Nicht genug freier Speicher in /srv/models für defects: nötig sind 2,0 GiB, frei sind 1,0 MiB."));
        QVERIFY2(note(K::PeerStopped).text().contains("Knoten 3f2a über das Relay"), qPrintable(note(K::PeerStopped).text()));
    }
};

ATMO_TEST_MAIN(TestGuiTranslations)
#include "tst_gui_translations.moc"
