// One MeshDownload of `atmosphere model pull` run to its end on the
// terminal, whichever way its sources are reached (HTTP, the mesh's relay,
// both): the progress bar, other peers' problems as notes while the
// download goes on (with a single source its problem is in the failure
// line instead), and Ctrl-C pauses (the journal kept for the same command
// again). A relay link that drops is noted, and noted again when the
// download asks again once it is back; taken over by another program of
// this home (Replaced) or refused, the download pauses and the pull fails
// saying why.
#pragma once

#include <QString>

#include "CliContext.h"
#include "core/base/result.h"

class MeshDownload;
class RelayClient;

namespace cli {

struct PullRun {
    enum class End { Finished, Paused, Failed };
    End end = End::Failed;
    atmo::Error error; // Failed: one line, and its kind; Paused: where it stopped (Cancelled)
};

// relay: the link the download's relay sources use (null: none).
PullRun runPull(const Context& ctx, MeshDownload& download, const QString& id, int sourceCount, RelayClient* relay);

} // namespace cli
