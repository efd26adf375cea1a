// A label that shows as much of a long text (a path) as fits, eliding the
// middle, and the whole text as its tooltip. Unlike QLabel it never widens
// its window to fit the text.
#pragma once

#include <QLabel>

class ElidedLabel : public QLabel {
    Q_OBJECT
public:
    explicit ElidedLabel(QWidget* parent = nullptr, Qt::TextElideMode mode = Qt::ElideMiddle);

    void setFullText(const QString& text);
    QString fullText() const { return full_; }
    QSize minimumSizeHint() const override;
    QSize sizeHint() const override;

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void updateText();
    QString full_;
    Qt::TextElideMode mode_;
};
