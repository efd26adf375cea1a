#include "app/MissionAssembler.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSet>

#include "app/PathConversion.h"
#include "core/package/mission.h"

void MissionAssembler::add(const QString& file, atmo::ContentKind kind)
{
    for (const Pick& p : picks_)
        if (p.source == file)
            return;
    picks_.push_back({file, kind});
}

void MissionAssembler::remove(int index)
{
    if (index >= 0 && index < picks_.size())
        picks_.removeAt(index);
}

void MissionAssembler::setKind(int index, atmo::ContentKind kind)
{
    if (index >= 0 && index < picks_.size())
        picks_[index].kind = kind;
}

atmo::ContentKind MissionAssembler::guessKind(const QString& file)
{
    const QString name = QFileInfo(file).fileName().toLower();
    if (name.endsWith(QLatin1String(".chunks.jsonl")) || name.endsWith(QLatin1String(".jsonl")))
        return atmo::ContentKind::Knowledge;
    static const QStringList modelSuffixes = {QStringLiteral("onnx"), QStringLiteral("gguf"), QStringLiteral("bin"),
                                              QStringLiteral("safetensors"), QStringLiteral("tflite"),
                                              QStringLiteral("pt"), QStringLiteral("pth"), QStringLiteral("engine")};
    if (modelSuffixes.contains(QFileInfo(name).suffix()))
        return atmo::ContentKind::Model;
    if (name.startsWith(QLatin1String("agent")))
        return atmo::ContentKind::Agent;
    if (name.startsWith(QLatin1String("tool")))
        return atmo::ContentKind::Tool;
    return atmo::ContentKind::Config;
}

QString MissionAssembler::create(const QString& destination, const QString& id, const QString& name,
                                 const std::vector<int>& tiers) const
{
    if (!atmo::isValidPackageId(id.toStdString()))
        return tr("The mission id “%1” is not valid: use lowercase letters, digits, '.', '_' and '-'.").arg(id);
    const QDir root(destination);
    if (QFileInfo::exists(root.filePath(QStringLiteral("config/mission.yaml"))))
        return tr("%1 already holds a mission; choose it as an existing mission instead.").arg(destination);
    QSet<QString> targets;
    for (const Pick& p : picks_) {
        const QString target = QString::fromUtf8(atmo::kindSection(p.kind).data(),
                                                 static_cast<int>(atmo::kindSection(p.kind).size())) +
                               QLatin1Char('/') + QFileInfo(p.source).fileName();
        if (target == QLatin1String("config/mission.yaml"))
            return tr("%1: a picked file cannot replace config/mission.yaml.").arg(p.source);
        if (targets.contains(target))
            return tr("Two picked files would both become %1.").arg(target);
        if (!QFileInfo(p.source).isFile())
            return tr("%1: not a readable file.").arg(p.source);
        targets.insert(target);
    }
    for (const Pick& p : picks_) {
        const QString dir = QString::fromUtf8(atmo::kindSection(p.kind).data(),
                                              static_cast<int>(atmo::kindSection(p.kind).size()));
        if (!root.mkpath(dir))
            return tr("%1: cannot create the folder.").arg(root.filePath(dir));
        const QString target = root.filePath(dir + QLatin1Char('/') + QFileInfo(p.source).fileName());
        if (QFileInfo::exists(target))
            QFile::remove(target);
        if (!QFile::copy(p.source, target))
            return tr("%1: cannot copy to %2.").arg(p.source, target);
    }
    atmo::Mission mission;
    mission.root = toFsPath(root.absolutePath());
    mission.id = id.toStdString();
    mission.name = (name.isEmpty() ? id : name).toStdString();
    mission.tiers = tiers.empty() ? std::vector<int>{1} : tiers;
    if (auto st = atmo::saveMissionYaml(mission); !st)
        return QString::fromStdString(st.message());
    return {};
}
