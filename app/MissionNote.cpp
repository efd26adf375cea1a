#include "app/MissionNote.h"

#include "app/QtStrings.h"

QString MissionNote::text(const atmo::MissionProblem& p)
{
    using K = atmo::MissionProblem::Kind;
    const QString subject = q(p.subject);
    switch (p.kind) {
    case K::Unreadable: return tr("cannot be read");
    case K::BadName: return tr("has a name that cannot go into a package (control characters, a backslash, or too long)");
    case K::BadYaml: return tr("is not valid YAML (line %1)").arg(p.line);
    case K::NotYaml: return tr("is not a YAML file (name it <id>-<version>.yaml or <id>.yaml)");
    case K::NotKnowledge: return tr("is not a knowledge file (name it <domain>.chunks.jsonl)");
    case K::BadRecord: return tr("line %1 is not a JSON record").arg(p.line);
    case K::NoVersion: return tr("the file name has no version (name it <id>-<version>.<ext>)");
    case K::MissingModel: return tr("names the model %1, which is not in models/").arg(subject);
    case K::TierNotInMission: return tr("is assigned %1, which is not one of the mission's tiers").arg(subject);
    case K::NoFileForDeclared: return tr("%1: no file for it (expected %2)").arg(subject, q(p.expected));
    case K::Ambiguous: return tr("%1: more than one file could be it").arg(subject);
    case K::FileOfTwo: return tr("is the file of two declared items");
    case K::Undeclared: return tr("no tier of the mission lists this file");
    case K::TierWithoutRequirements:
        return tr("%1 states no hardware requirements, so every device would meet it; give it min_ram_gb, gpu or "
                  "vram_gb")
            .arg(subject);
    case K::Other: break;
    }
    return q(p.message);
}
