#include "ui/QrCodeWidget.h"

#include <QPainter>

QrCodeWidget::QrCodeWidget(QWidget* parent) : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
}

void QrCodeWidget::setText(const QByteArray& text)
{
    code_ = QrCode(text);
    setToolTip(code_.isNull() ? code_.error() : QString());
    updateGeometry();
    update();
}

QSize QrCodeWidget::sizeHint() const
{
    const int side = code_.isNull() ? 200 : code_.modules() * 4;
    return {side, side};
}

QSize QrCodeWidget::minimumSizeHint() const
{
    const int side = code_.isNull() ? 100 : code_.modules() * 2;
    return {side, side};
}

void QrCodeWidget::paintEvent(QPaintEvent*)
{
    QPainter p(this);
    if (code_.isNull()) {
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, code_.error());
        return;
    }
    const int side = std::min(width(), height());
    const int perModule = std::max(1, side / code_.modules());
    const QImage img = code_.image(perModule);
    p.fillRect(rect(), Qt::white);
    p.drawImage((width() - img.width()) / 2, (height() - img.height()) / 2, img);
}
