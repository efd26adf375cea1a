#include "core/cancel_token.h"

#include "core/result.h"

namespace atmo {

void CancelToken::check() const
{
    if (cancelled())
        throw Cancelled();
}

} // namespace atmo
