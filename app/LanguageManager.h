// Installs the translation for the chosen language (settings), or for the
// system locale when none is chosen. Translations are compiled into the
// program as :/i18n/atmosphere_<lang>.qm; English is the source language and
// its .qm carries only the plural forms ("1 file", "2 files").
#pragma once

#include <QCoreApplication>
#include <QLocale>
#include <QString>
#include <QStringList>
#include <QTranslator>

#include <memory>

class LanguageManager {
    Q_DECLARE_TR_FUNCTIONS(LanguageManager)
public:
    // code: "" follows the system locale, else "en", "de", ...
    bool apply(const QString& code);
    QString activeLanguage() const { return active_; } // "en", "de", ...

    static QStringList available();                     // "en" first, then those with a .qm
    static QString displayName(const QString& code);    // in its own language: "Deutsch"
    static QString resolve(const QString& code, const QLocale& system = QLocale::system());

private:
    std::unique_ptr<QTranslator> translator_;
    std::unique_ptr<QTranslator> qtTranslator_;
    QString active_ = QStringLiteral("en");
};
