#include "ui/DownloadsPanel.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPointer>
#include <QPushButton>
#include <QScrollArea>
#include <QTimer>
#include <QVBoxLayout>

#include "app/mesh/DownloadListModel.h"
#include "app/mesh/DownloadManager.h"
#include "ui/DownloadRow.h"
#include "ui/Icons.h"
#include "ui/StatusColors.h"

DownloadsPanel::DownloadsPanel(DownloadManager& manager, QWidget* parent)
    : QGroupBox(tr("Downloads"), parent), manager_(manager), model_(new DownloadListModel(&manager, this))
{
    setAccessibleName(tr("Downloads"));
    auto* layout = new QVBoxLayout(this);
    head_ = new QWidget(this);
    auto* head = new QHBoxLayout(head_);
    head->setContentsMargins(0, 0, 0, 0);
    summary_ = new QLabel(head_);
    summary_->setAccessibleName(tr("Downloads summary"));
    clear_ = new QPushButton(Icons::get(QStringLiteral("remove")), tr("C&lear finished"), head_);
    clear_->setAccessibleName(tr("Clear finished downloads"));
    clear_->setToolTip(tr("Remove finished, failed and cancelled downloads from this list; files stay."));
    history_ = new QPushButton(head_);
    history_->setCheckable(true);
    history_->setAccessibleName(tr("Download history"));
    history_->setToolTip(tr("Show or hide the earlier finished and cancelled downloads"));
    history_->hide();
    notice_ = new QLabel(head_);
    notice_->setAccessibleName(tr("Download notice"));
    notice_->setStyleSheet(StatusColors::warningStyle());
    notice_->setTextInteractionFlags(Qt::TextSelectableByMouse);
    notice_->hide();
    head->addWidget(summary_);
    head->addSpacing(12);
    head->addWidget(notice_);
    head->addStretch(1);
    head->addWidget(history_);
    head->addWidget(clear_);
    layout->addWidget(head_);

    scroll_ = new QScrollArea(this);
    scroll_->setWidgetResizable(true);
    scroll_->setFrameShape(QFrame::NoFrame);
    list_ = new QWidget(scroll_);
    listLayout_ = new QVBoxLayout(list_);
    listLayout_->setContentsMargins(0, 0, 0, 0);
    listLayout_->setSpacing(0);
    listLayout_->addStretch(1);
    scroll_->setWidget(list_);
    layout->addWidget(scroll_, 1);
    empty_ = new QLabel(tr("Nothing downloaded yet. Choose a model or a package above and click Download."), this);
    empty_->setWordWrap(true);
    empty_->setStyleSheet(QStringLiteral("color:#5b6670"));
    layout->addWidget(empty_);

    connect(clear_, &QPushButton::clicked, &manager_, &DownloadManager::clearFinished);
    connect(history_, &QPushButton::toggled, this, &DownloadsPanel::updateSummary);
    // A click that raced with a state change (pause just as it finished):
    // say what happened instead of doing nothing silently.
    connect(&manager_, &DownloadManager::refused, this, [this](quint64, const QString& reason) {
        notice_->setText(reason);
        notice_->show();
    });
    connect(model_, &QAbstractItemModel::rowsInserted, this,
            [this](const QModelIndex&, int first, int last) { insertRows(first, last); });
    connect(model_, &QAbstractItemModel::rowsRemoved, this,
            [this](const QModelIndex&, int first, int last) { removeRows(first, last); });
    connect(model_, &QAbstractItemModel::dataChanged, this,
            [this](const QModelIndex& tl, const QModelIndex& br) { refreshRows(tl.row(), br.row()); });
    connect(model_, &QAbstractItemModel::modelReset, this, [this] {
        removeRows(0, static_cast<int>(rows_.size()) - 1);
        insertRows(0, model_->rowCount() - 1);
    });
    insertRows(0, model_->rowCount() - 1);
}

void DownloadsPanel::insertRows(int first, int last)
{
    for (int r = first; r <= last; ++r) {
        auto* row = new DownloadRow(list_);
        listLayout_->insertWidget(r, row);
        rows_.insert(r, row);
        connect(row, &DownloadRow::pauseClicked, this, [this](quint64 id) { act(&DownloadManager::pause, id); });
        connect(row, &DownloadRow::resumeClicked, this, [this](quint64 id) { act(&DownloadManager::resume, id); });
        connect(row, &DownloadRow::cancelClicked, this, [this](quint64 id) { act(&DownloadManager::cancel, id); });
        connect(row, &DownloadRow::retryClicked, this, [this](quint64 id) { act(&DownloadManager::retry, id); });
        connect(row, &DownloadRow::openClicked, this, &DownloadsPanel::openRequested);
        row->refresh(model_->index(r, 0));
    }
    if (last >= first) {
        // A new download: scroll to it once the layout has placed it.
        QTimer::singleShot(0, this, [this, row = QPointer<DownloadRow>(rows_[last])] {
            if (row)
                scroll_->ensureWidgetVisible(row);
        });
    }
    updateSummary();
}

void DownloadsPanel::removeRows(int first, int last)
{
    for (int r = last; r >= first; --r) {
        delete rows_.takeAt(r);
    }
    updateSummary();
}

void DownloadsPanel::refreshRows(int first, int last)
{
    for (int r = first; r <= last && r < rows_.size(); ++r)
        rows_[r]->refresh(model_->index(r, 0));
    updateSummary();
}

void DownloadsPanel::act(void (DownloadManager::*action)(quint64), quint64 id)
{
    notice_->hide();
    (manager_.*action)(id);
}

DownloadRow* DownloadsPanel::rowFor(quint64 id) const
{
    for (DownloadRow* row : rows_)
        if (row->id() == id)
            return row;
    return nullptr;
}

bool DownloadsPanel::folds(int row) const
{
    auto ended = [this](int r) {
        return rows_[r]->state() == atmo::TransferState::Done || rows_[r]->state() == atmo::TransferState::Cancelled;
    };
    if (!ended(row))
        return false;
    for (int later = row + 1; later < rows_.size(); ++later)
        if (ended(later))
            return true; // not the newest one that ended
    return false;
}

int DownloadsPanel::foldedCount() const
{
    int n = 0;
    for (int r = 0; r < rows_.size(); ++r)
        n += folds(r) ? 1 : 0;
    return n;
}

void DownloadsPanel::updateFolding()
{
    const int folded = foldedCount();
    const bool open = history_->isChecked() && folded > 0;
    history_->setVisible(folded > 0);
    history_->setText(open ? tr("Hide history") : tr("History (%1)").arg(folded));
    bool first = true;
    for (int r = 0; r < rows_.size(); ++r) {
        const bool shown = open || !folds(r);
        rows_[r]->setVisible(shown);
        rows_[r]->setRuleVisible(shown && !first);
        first = first && !shown;
    }
}

int DownloadsPanel::unfinishedCount() const
{
    int n = 0;
    for (int row = 0; row < manager_.count(); ++row)
        n += atmo::isFinished(manager_.item(row).state) ? 0 : 1;
    return n;
}

void DownloadsPanel::updateSummary()
{
    int running = 0, waiting = 0, paused = 0, done = 0, failed = 0;
    for (int row = 0; row < manager_.count(); ++row) {
        switch (manager_.item(row).state) {
        case atmo::TransferState::Active: ++running; break;
        case atmo::TransferState::Queued: ++waiting; break;
        case atmo::TransferState::Paused: ++paused; break;
        case atmo::TransferState::Done: ++done; break;
        case atmo::TransferState::Failed: ++failed; break;
        case atmo::TransferState::Cancelled: break;
        }
    }
    QStringList parts;
    if (running)
        parts << tr("%n running", nullptr, running);
    if (waiting)
        parts << tr("%n waiting", nullptr, waiting);
    if (paused)
        parts << tr("%n paused", nullptr, paused);
    if (done)
        parts << tr("%n done", nullptr, done);
    if (failed)
        parts << tr("%n failed", nullptr, failed);
    summary_->setText(parts.join(QStringLiteral(" · ")));
    updateFolding();
    const int unfinished = running + waiting + paused;
    setTitle(unfinished ? tr("Downloads (%1)").arg(unfinished) : tr("Downloads"));
    clear_->setEnabled(rows_.size() > unfinished);
    empty_->setVisible(rows_.isEmpty());
    scroll_->setVisible(!rows_.isEmpty());
    head_->setVisible(!rows_.isEmpty());
    // Empty, it is one line of text; the Mesh view above gets the room.
    setMaximumHeight(rows_.isEmpty() ? preferredHeight(0) : QWIDGETSIZE_MAX);
}

int DownloadsPanel::preferredHeight(int maxRows) const
{
    const QMargins m = layout()->contentsMargins();
    // The title and the frame: what the box adds around its layout.
    int h = m.top() + m.bottom() + QGroupBox::sizeHint().height() - layout()->sizeHint().height();
    if (rows_.isEmpty() || maxRows == 0)
        return h + empty_->sizeHint().height();
    h += head_->sizeHint().height() + layout()->spacing();
    int shown = 0;
    for (int r = 0; r < rows_.size() && shown < maxRows; ++r) {
        if (rows_[r]->isHidden())
            continue;
        h += rows_[r]->sizeHint().height();
        ++shown;
    }
    return h;
}
