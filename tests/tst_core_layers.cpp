// core/ is in layers (docs/core-layout.md): each sub-folder may include
// headers only of itself and of the layers core/CMakeLists.txt names after
// DEPENDS in its atmo_core_layer() line (and, through them, theirs). The
// linker would catch a call across a forbidden edge only sometimes (static
// libraries, inline code); this reads every #include line instead.
#include <QDirIterator>
#include <QFile>
#include <QMap>
#include <QRegularExpression>
#include <QSet>
#include <QtTest>

#include "test_main.h"

namespace {

// `atmo_core_layer(mesh DEPENDS base package)` -> mesh: {base, package}.
QMap<QString, QSet<QString>> parseLayers(const QString& cmake)
{
    static const QRegularExpression call(
        "^\\s*atmo_core_layer\\(\\s*([a-z_]+)((?:\\s+DEPENDS)?(?:\\s+[a-z_]+)*)\\s*\\)",
        QRegularExpression::MultilineOption);
    QMap<QString, QSet<QString>> direct;
    for (auto it = call.globalMatch(cmake); it.hasNext();) {
        const auto m = it.next();
        QStringList deps = m.captured(2).split(QRegularExpression("\\s+"), Qt::SkipEmptyParts);
        deps.removeAll("DEPENDS");
        direct[m.captured(1)] = QSet<QString>(deps.begin(), deps.end());
    }
    // What a layer reaches through the layers it names.
    QMap<QString, QSet<QString>> reach = direct;
    for (bool grew = true; grew;) {
        grew = false;
        for (auto it = reach.begin(); it != reach.end(); ++it)
            for (const QString& dep : QSet<QString>(it.value()))
                for (const QString& further : reach.value(dep))
                    if (!it.value().contains(further)) {
                        it.value().insert(further);
                        grew = true;
                    }
    }
    return reach;
}

// The layer folders a file's #include "core/<layer>/..." lines name, and any
// include of a core header outside a layer folder ("core/x.h").
QStringList includedLayers(const QString& text)
{
    static const QRegularExpression inc("^\\s*#\\s*include\\s*\"core/([^\"]+)\"",
                                        QRegularExpression::MultilineOption);
    QStringList out;
    for (auto it = inc.globalMatch(text); it.hasNext();) {
        const QString path = it.next().captured(1);
        out << (path.contains('/') ? path.section('/', 0, 0) : QStringLiteral("(none: core/%1)").arg(path));
    }
    return out;
}

// The offending "file -> layer" edges of one file in `layer`.
QStringList forbidden(const QString& layer, const QString& file, const QString& text,
                      const QMap<QString, QSet<QString>>& reach)
{
    QStringList bad;
    for (const QString& target : includedLayers(text))
        if (target != layer && !reach.value(layer).contains(target))
            bad << file + " includes " + target;
    return bad;
}

QString readAll(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

} // namespace

class CoreLayers : public QObject {
    Q_OBJECT
private slots:
    void everyIncludeStaysInItsLayers()
    {
        const QString core = qEnvironmentVariable("ATMO_SOURCE_DIR") + "/core";
        const auto reach = parseLayers(readAll(core + "/CMakeLists.txt"));
        QVERIFY2(reach.size() >= 5, "too few atmo_core_layer() lines in core/CMakeLists.txt");
        QVERIFY2(reach.value("base").isEmpty(), "the base layer must reach nothing");
        QVERIFY2(!reach.value("package").contains("mesh"), "package must never reach mesh");

        int files = 0;
        QStringList problems;
        QDirIterator it(core, {"*.h", "*.cpp"}, QDir::Files, QDirIterator::Subdirectories);
        while (it.hasNext()) {
            const QString path = it.next();
            const QString rel = QDir(core).relativeFilePath(path);
            ++files;
            const QString layer = rel.section('/', 0, 0);
            if (!rel.contains('/') || rel.count('/') > 1 || !reach.contains(layer)) {
                problems << rel + " is not in a layer folder named in core/CMakeLists.txt";
                continue;
            }
            problems << forbidden(layer, rel, readAll(path), reach);
        }
        QVERIFY2(files > 10, "too few core files found; is ATMO_SOURCE_DIR right?");
        QVERIFY2(problems.isEmpty(), qPrintable("core layering broken:\n  " + problems.join("\n  ")));
    }

    void detectorWorks()
    {
        const auto reach = parseLayers("atmo_core_layer(base)\n"
                                       "atmo_core_layer(package DEPENDS base)\n"
                                       "  atmo_core_layer(mesh DEPENDS package)\n");
        QCOMPARE(reach.value("mesh"), (QSet<QString>{"package", "base"}));
        QVERIFY(reach.value("base").isEmpty());
        QVERIFY(forbidden("mesh", "m.cpp", "#include \"core/base/result.h\"\n", reach).isEmpty());
        QVERIFY(forbidden("package", "p.cpp", "#include \"core/package/manifest.h\"\n", reach).isEmpty());
        QCOMPARE(forbidden("package", "p.cpp", "#include <string>\n #  include \"core/mesh/mdns.h\"\n", reach),
                 QStringList{"p.cpp includes mesh"});
        QCOMPARE(forbidden("base", "b.h", "#include \"core/result.h\"\n", reach).size(), 1);
        QVERIFY(forbidden("base", "b.h", "// #include \"core/mesh/mdns.h\" is forbidden\n", reach).isEmpty());
    }
};

ATMO_TEST_GUILESS_MAIN(CoreLayers)
#include "tst_core_layers.moc"
