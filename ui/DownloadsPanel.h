// The downloads panel under the Mesh view: one DownloadRow per item of the
// DownloadManager, in the order they were added (rows never move, so what the
// user looks at stays put), following the DownloadListModel row by row. A
// header counts what runs, waits and ended, and clears the finished ones.
// Finished downloads fold into a history so the panel does not grow with
// every one: the newest finished or cancelled row stays in view (the outcome
// of the last click), older ones show only while History is open. Failed
// rows always stay in view: they need a decision.
#pragma once

#include <QGroupBox>
#include <QList>

class QLabel;
class QPushButton;
class QScrollArea;
class QVBoxLayout;
class DownloadListModel;
class DownloadManager;
class DownloadRow;

class DownloadsPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit DownloadsPanel(DownloadManager& manager, QWidget* parent = nullptr);

    DownloadListModel* model() const { return model_; }
    QList<DownloadRow*> rows() const { return rows_; }
    DownloadRow* rowFor(quint64 id) const; // null when not listed
    QLabel* summaryLabel() const { return summary_; }
    // Why the last action on a row did not apply (a race with its state).
    QLabel* noticeLabel() const { return notice_; }
    QPushButton* clearButton() const { return clear_; }
    QPushButton* historyButton() const { return history_; }
    // Rows folded into the closed history now.
    int foldedCount() const;
    // Rows not finished (queued, running, paused): the count on the badge.
    int unfinishedCount() const;
    // The height that shows up to maxRows rows whole (the header included).
    int preferredHeight(int maxRows = 3) const;

signals:
    // "Open in Import & Verify" on a downloaded package.
    void openRequested(const QString& file);

private:
    void insertRows(int first, int last);
    void removeRows(int first, int last);
    void refreshRows(int first, int last);
    void updateSummary();
    void updateFolding();
    bool folds(int row) const; // in the history: shown only while it is open
    void act(void (DownloadManager::*action)(quint64), quint64 id);

    DownloadManager& manager_;
    DownloadListModel* model_;
    QWidget* head_;
    QLabel* summary_;
    QLabel* notice_;
    QPushButton* clear_;
    QPushButton* history_;
    QScrollArea* scroll_;
    QWidget* list_;
    QVBoxLayout* listLayout_;
    QLabel* empty_;
    QList<DownloadRow*> rows_;
};
