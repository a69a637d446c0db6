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

  /**
   * The admin behind a request, if their key's role grants a permission.
   *
   * @param ctx the request
   * @param permission what the call needs
   * @return the admin key
   * @throws dev.enroll.problem.EnrollException {@code unauthorized}, or {@code forbidden}
   *     naming the roles that may
   */
  AdminKey require(Context ctx, dev.enroll.admin.Permission permission) {
    AdminKey key = require(ctx);
    if (!permission.grantedTo(key.role())) {
      throw new dev.enroll.problem.EnrollException(dev.enroll.problem.ProblemType.FORBIDDEN,
          "a key of role " + key.role() + " cannot do this; it needs one of "
              + permission.roles());
    }
    return key;
  }
}
