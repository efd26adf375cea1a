// One download in the downloads panel, drawn from a DownloadListModel row:
// status icon, title (elided), state, a bar, bytes / rate / time left /
// chunks, the source peers, a peer's problem while it goes on (amber), and
// when it failed the error in red, selectable, naming the peer that sent bad
// data. Real buttons (keyboard reachable, named for screen readers) for what
// the row allows: pause, resume, cancel, retry, and for a finished package
// "Open in Import & Verify".
#pragma once

#include <QPersistentModelIndex>
#include <QWidget>

#include "core/transfer/transfer_queue.h"

class QFrame;
class QLabel;
class QProgressBar;
class QPushButton;
class ElidedLabel;

class DownloadRow : public QWidget {
    Q_OBJECT
public:
    explicit DownloadRow(QWidget* parent = nullptr);

    // Redraws from the model row (any column; the roles answer on all).
    void refresh(const QModelIndex& index);
    void setRuleVisible(bool on); // the line that separates it from the row above

    quint64 id() const { return id_; }
    atmo::TransferState state() const { return state_; }   // the model's StateRole
    QString title() const;
    QProgressBar* bar() const { return bar_; }
    QLabel* stateLabel() const { return stateLabel_; }
    QLabel* detailLabel() const { return detail_; }
    QLabel* peersLabel() const { return peers_; }
    QLabel* problemLabel() const { return problem_; }
    QLabel* errorLabel() const { return error_; }
    QPushButton* pauseButton() const { return pause_; }
    QPushButton* resumeButton() const { return resume_; }
    QPushButton* cancelButton() const { return cancel_; }
    QPushButton* retryButton() const { return retry_; }
    QPushButton* openButton() const { return open_; }

signals:
    void pauseClicked(quint64 id);
    void resumeClicked(quint64 id);
    void cancelClicked(quint64 id);
    void retryClicked(quint64 id);
    void openClicked(const QString& file);

private:
    quint64 id_ = 0;
    atmo::TransferState state_ = atmo::TransferState::Queued;
    QString path_;
    QFrame* rule_;
    QLabel* icon_;
    ElidedLabel* title_;
    QLabel* stateLabel_;
    QProgressBar* bar_;
    QLabel* detail_;
    QLabel* peers_;
    QLabel* problem_;
    QLabel* error_;
    QPushButton* pause_;
    QPushButton* resume_;
    QPushButton* cancel_;
    QPushButton* retry_;
    QPushButton* open_;
};
