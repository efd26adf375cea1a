// Custom item-data roles shared by the station's models. StatusRole carries
// an ItemStatus the UI maps to an icon and colour (ui/Icons.cpp,
// ui/StatusIconProxy.cpp); SortRole the raw value to sort by.
#pragma once

#include <QMetaType>
#include <Qt>

namespace ModelRole {
enum : int {
    Status = Qt::UserRole + 1, // ItemStatus
    Sort,
    Failure,  // bool: the row is a failure (files model)
    Path,     // full path or file of the row
};
}

// What a cell's status icon says. None: no icon. Package and Key are not
// verdicts, only the icon of a package or a key row.
enum class ItemStatus { None, Ok, Warning, Failed, Missing, Pending, Skipped, Package, Key };
Q_DECLARE_METATYPE(ItemStatus)
