// Adds the UI's look to the QtCore models: an icon (and for failures a red
// text colour) from each cell's ModelRole::Status (an ItemStatus). The models stay
// free of QtGui so they test without a display.
#pragma once

#include <QIdentityProxyModel>

class StatusIconProxy : public QIdentityProxyModel {
    Q_OBJECT
public:
    explicit StatusIconProxy(QObject* parent = nullptr);
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
};
