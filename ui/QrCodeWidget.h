// Shows a QrCode as large as the widget allows, in whole pixels per module
// (so no module is blurred or a pixel wider than its neighbours), centred on
// white. A text that makes no code shows the reason instead.
#pragma once

#include <QWidget>

#include "ui/QrCode.h"

class QrCodeWidget : public QWidget {
    Q_OBJECT
public:
    explicit QrCodeWidget(QWidget* parent = nullptr);

    void setText(const QByteArray& text);
    const QrCode& code() const { return code_; }

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;
    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override { return width; }

protected:
    void paintEvent(QPaintEvent* event) override;

private:
    QrCode code_{QByteArray()};
};
