package dev.enroll.http;

import dev.enroll.admin.AdminKey;
import dev.enroll.admin.AdminKeys;
import io.javalin.http.Context;

/** Authenticates admin calls by their {@code Authorization: Bearer} API key. */
final class AdminAuth {
  private final AdminKeys adminKeys;

  AdminAuth(AdminKeys adminKeys) {
    this.adminKeys = adminKeys;
  }

  /**
   * The admin behind a request.
   *
   * @param ctx the request
   * @return the admin key
   * @throws dev.enroll.problem.EnrollException {@code unauthorized}, the same for a missing
   *     and a wrong key
   */
  AdminKey require(Context ctx) {
    String header = ctx.header("Authorization");
    String bearer = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
        ? header.substring(7).trim() : null;
    return adminKeys.authenticate(bearer, RequestIds.of(ctx), ctx.ip());
  }
}
