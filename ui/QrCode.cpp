#include "ui/QrCode.h"

#include <QCoreApplication>

#include <cerrno>
#include <memory>

#include <qrencode.h>

QrCode::QrCode(const QByteArray& text)
{
    errno = 0;
    std::unique_ptr<QRcode, decltype(&QRcode_free)> code(
        QRcode_encodeString8bit(text.constData(), 0, QR_ECLEVEL_M), &QRcode_free);
    if (!code) {
        error_ = errno == ERANGE
                     ? QCoreApplication::translate("QrCode", "The text is too long for a QR code (%n bytes).", nullptr,
                                                   int(text.size()))
                     : QCoreApplication::translate("QrCode", "The QR code could not be made.");
        return;
    }
    const int side = code->width + 2 * kQuietZoneModules;
    image_ = QImage(side, side, QImage::Format_Mono);
    image_.setColor(0, qRgb(255, 255, 255));
    image_.setColor(1, qRgb(0, 0, 0));
    image_.fill(0);
    for (int y = 0; y < code->width; ++y)
        for (int x = 0; x < code->width; ++x)
            if (code->data[y * code->width + x] & 1) // bit 0: the module is dark
                image_.setPixel(x + kQuietZoneModules, y + kQuietZoneModules, 1);
}

QImage QrCode::image(int pixelsPerModule) const
{
    if (image_.isNull() || pixelsPerModule <= 1)
        return image_;
    return image_.scaled(image_.size() * pixelsPerModule, Qt::IgnoreAspectRatio, Qt::FastTransformation);
}
