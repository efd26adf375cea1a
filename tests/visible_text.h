// What a person sees in a widget tree, as text: labels (rich text as plain),
// buttons, group titles, tabs, line edits, combo boxes, progress bars, and
// the header and cells of item views' visible rows. Tooltips are not seen
// until asked for, so they are left out. For the test that walks every view
// in German and fails on English.
#pragma once

#include <QAbstractButton>
#include <QAbstractItemView>
#include <QComboBox>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QRegularExpression>
#include <QSet>
#include <QStringList>
#include <QTabBar>
#include <QTextDocumentFragment>
#include <QWidget>

namespace visibletext {

inline QString plain(const QString& text)
{
    QString t = Qt::mightBeRichText(text) ? QTextDocumentFragment::fromHtml(text).toPlainText() : text;
    t.remove(QLatin1Char('&'));
    return t.simplified();
}

// Every visible text under root (root included), one entry per text.
inline QStringList collect(QWidget* root)
{
    QStringList out;
    auto add = [&out](const QString& t) {
        const QString p = plain(t);
        if (!p.isEmpty())
            out << p;
    };
    QList<QWidget*> widgets = root->findChildren<QWidget*>();
    widgets.prepend(root);
    for (QWidget* w : widgets) {
        if (!w->isVisible())
            continue;
        if (w->isWindow())
            add(w->windowTitle());
        if (auto* l = qobject_cast<QLabel*>(w))
            add(l->text());
        else if (auto* b = qobject_cast<QAbstractButton*>(w))
            add(b->text());
        else if (auto* g = qobject_cast<QGroupBox*>(w))
            add(g->title());
        else if (auto* e = qobject_cast<QLineEdit*>(w))
            add(e->text().isEmpty() ? e->placeholderText() : QString());
        else if (auto* c = qobject_cast<QComboBox*>(w))
            add(c->currentText().isEmpty() ? c->placeholderText() : c->currentText());
        else if (auto* p = qobject_cast<QProgressBar*>(w))
            add(p->text());
        else if (auto* t = qobject_cast<QTabBar*>(w)) {
            for (int i = 0; i < t->count(); ++i)
                add(t->tabText(i));
        } else if (auto* v = qobject_cast<QAbstractItemView*>(w)) {
            QAbstractItemModel* m = v->model();
            if (!m)
                continue;
            for (int c = 0; c < m->columnCount(); ++c)
                add(m->headerData(c, Qt::Horizontal).toString());
            for (int r = 0; r < std::min(m->rowCount(), 60); ++r)
                for (int c = 0; c < m->columnCount(); ++c)
                    add(m->index(r, c).data().toString());
        } else if (auto* pt = qobject_cast<QPlainTextEdit*>(w))
            add(pt->placeholderText());
    }
    return out;
}

// Words German never uses, or a whole text that is an English UI word: an
// English sentence shows at least two of the former. ("OK" and "Status" are
// German too.)
inline bool looksEnglish(const QString& text)
{
    static const QSet<QString> stop{
        QStringLiteral("the"),    QStringLiteral("is"),     QStringLiteral("are"),   QStringLiteral("and"),
        QStringLiteral("of"),     QStringLiteral("to"),     QStringLiteral("with"),  QStringLiteral("this"),
        QStringLiteral("that"),   QStringLiteral("from"),   QStringLiteral("has"),   QStringLiteral("have"),
        QStringLiteral("not"),    QStringLiteral("cannot"), QStringLiteral("does"),  QStringLiteral("which"),
        QStringLiteral("for"),    QStringLiteral("by"),     QStringLiteral("be"),    QStringLiteral("it"),
        QStringLiteral("its"),    QStringLiteral("or"),     QStringLiteral("on"),    QStringLiteral("at"),
        QStringLiteral("when"),   QStringLiteral("there"),  QStringLiteral("can"),   QStringLiteral("no"),
        QStringLiteral("you"),    QStringLiteral("your"),   QStringLiteral("what"),  QStringLiteral("into"),
        QStringLiteral("only"),   QStringLiteral("none"),   QStringLiteral("here"),  QStringLiteral("yet"),
        QStringLiteral("than"),   QStringLiteral("been"),   QStringLiteral("after"), QStringLiteral("before"),
        QStringLiteral("each"),   QStringLiteral("every"),  QStringLiteral("found"), QStringLiteral("needs"),
        QStringLiteral("files"),  QStringLiteral("file"),   QStringLiteral("drive"), QStringLiteral("drives")};
    static const QSet<QString> whole{QStringLiteral("cancel"), QStringLiteral("next"),   QStringLiteral("back"),
                                     QStringLiteral("finish"), QStringLiteral("yes"),
                                     QStringLiteral("close"),  QStringLiteral("open"),   QStringLiteral("save"),
                                     QStringLiteral("apply"),  QStringLiteral("help"),   QStringLiteral("browse"),
                                     QStringLiteral("size"),   QStringLiteral("waiting"),
                                     QStringLiteral("verified"), QStringLiteral("failed"), QStringLiteral("ready")};
    static const QRegularExpression nonWord(QStringLiteral("[^a-zA-Z]+"));
    const QStringList words = text.toLower().split(nonWord, Qt::SkipEmptyParts);
    if (words.size() == 1 && whole.contains(words.front()))
        return true;
    QSet<QString> seen;
    for (const QString& w : words)
        if (stop.contains(w))
            seen.insert(w);
    return seen.size() >= 2;
}

} // namespace visibletext
