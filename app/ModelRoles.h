// Custom item-data roles shared by the station's models. StatusRole carries
// a status keyword the UI maps to an icon and colour ("ok", "failed",
// "missing", "pending", "skipped", "warning"); SortRole the raw value to sort by.
#pragma once

#include <Qt>

namespace ModelRole {
enum : int {
    Status = Qt::UserRole + 1,
    Sort,
    Failure,  // bool: the row is a failure (files model)
    Path,     // full path or file of the row
};
}
