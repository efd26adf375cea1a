// A QR code of a text (an `atmosphere://join?invite=` link) as an image a
// device's camera can read: libqrencode's symbol, error correction level M
// (about 15 % of the symbol may be damaged or glared), byte mode so the
// link's letters keep their case, and the four-module quiet zone around it
// that readers need. One image pixel per module: scale it with
// Qt::FastTransformation (QrCodeWidget does) so modules stay sharp squares.
#pragma once

#include <QImage>
#include <QString>

class QrCode {
public:
    static constexpr int kQuietZoneModules = 4;

    // The code of `text`; isNull() and error() says why when it cannot be
    // made (a text longer than a QR code holds, about 2,300 bytes at level M).
    explicit QrCode(const QByteArray& text);

    bool isNull() const { return image_.isNull(); }
    QString error() const { return error_; }
    // Modules per side, quiet zone included.
    int modules() const { return image_.width(); }
    // Black modules on white, `pixelsPerModule` pixels each.
    QImage image(int pixelsPerModule = 1) const;

private:
    QImage image_;
    QString error_;
};
