#include "app/LanguageManager.h"

#include <QDir>
#include <QLibraryInfo>

namespace {
const QString kPrefix = QStringLiteral(":/i18n/atmosphere_");
}

QStringList LanguageManager::available()
{
    QStringList out{QStringLiteral("en")};
    const QStringList files = QDir(QStringLiteral(":/i18n")).entryList({QStringLiteral("atmosphere_*.qm")});
    for (const QString& f : files) {
        const QString code = f.mid(int(qstrlen("atmosphere_")), f.size() - int(qstrlen("atmosphere_")) - 3);
        if (!out.contains(code))
            out << code;
    }
    return out;
}

QString LanguageManager::displayName(const QString& code)
{
    const QLocale locale(code);
    QString name = locale.nativeLanguageName();
    if (name.isEmpty())
        return code;
    name[0] = name[0].toUpper();
    return name;
}

QString LanguageManager::resolve(const QString& code, const QLocale& system)
{
    const QStringList langs = available();
    if (!code.isEmpty())
        return langs.contains(code) ? code : QStringLiteral("en");
    for (const QString& ui : system.uiLanguages()) {
        const QString lang = QLocale(ui).name().section(QLatin1Char('_'), 0, 0);
        if (langs.contains(lang))
            return lang;
    }
    return QStringLiteral("en");
}

bool LanguageManager::apply(const QString& code)
{
    const QString lang = resolve(code);
    if (translator_)
        QCoreApplication::removeTranslator(translator_.get());
    if (qtTranslator_)
        QCoreApplication::removeTranslator(qtTranslator_.get());
    translator_.reset();
    qtTranslator_.reset();
    active_ = lang;
    QLocale::setDefault(lang == QLatin1String("en") ? QLocale(QLocale::English, QLocale::UnitedStates)
                                                    : QLocale(lang));
    auto t = std::make_unique<QTranslator>();
    if (!t->load(kPrefix + lang + QStringLiteral(".qm"))) {
        // English is the source language; its .qm only adds plural forms.
        if (lang == QLatin1String("en"))
            return true;
        active_ = QStringLiteral("en");
        return false;
    }
    QCoreApplication::installTranslator(t.get());
    translator_ = std::move(t);
    if (lang == QLatin1String("en"))
        return true;
    // Qt's own strings (standard buttons, wizard buttons), when installed.
    auto qt = std::make_unique<QTranslator>();
    if (qt->load(QLocale(lang), QStringLiteral("qtbase"), QStringLiteral("_"),
                 QLibraryInfo::path(QLibraryInfo::TranslationsPath))) {
        QCoreApplication::installTranslator(qt.get());
        qtTranslator_ = std::move(qt);
    }
    return true;
}
