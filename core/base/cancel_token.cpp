#include "core/base/cancel_token.h"

#include "core/base/result.h"

namespace atmo {

void CancelToken::check() const
{
    if (cancelled())
        throw Cancelled();
}

} // namespace atmo
