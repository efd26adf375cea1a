// The LlamaFarm vision models a model bridge offers, read from LlamaFarm's
// HTTP API as the bridge reads them (core/mesh/llamafarm_api.h has the rules), and
// hashed so the station can serve them. No answer on the port is normal: no
// LlamaFarm on this machine, no models from it.
#pragma once

#include <QStringList>
#include <QUrl>

#include <vector>

#include "core/base/cancel_token.h"
#include "core/mesh/model_library.h"

// $ATMOSPHERE_LLAMAFARM_URL, else http://localhost:11540 (LlamaFarm's own
// port); set but empty: do not ask LlamaFarm at all.
QUrl llamaFarmUrl();

struct LlamaFarmScan {
    std::vector<atmo::LocalModel> models;
    QStringList problems;
};

// Blocking (a local event loop; each request gives up after 10 s): GET
// /v1/vision/models and /v1/vision/federation/packages under `base`, then the
// whole-file SHA-256 of each model (from `cache` when it knows the file).
LlamaFarmScan scanLlamaFarmApi(const QUrl& base, atmo::HashCache& cache, const atmo::CancelToken& cancel);

// `scan`'s models plus those of `llamaFarm` whose ids the scan does not have
// (the bridge reads LlamaFarm first and lets a hub file with the same id
// replace it), sorted by model_id; each one left out is a problem line.
void mergeLlamaFarmModels(atmo::LibraryScan& scan, LlamaFarmScan llamaFarm);
