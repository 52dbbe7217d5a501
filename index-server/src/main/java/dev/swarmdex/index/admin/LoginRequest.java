package dev.swarmdex.index.admin;

/** The body of {@code POST /api/v1/admin/login}. Its {@code toString} leaves the password out. */
public record LoginRequest(String name, String password) {
  public LoginRequest {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("name is required");
    }
    if (name.length() > 64) {
      throw new IllegalArgumentException("name is longer than 64 characters");
    }
    if (name.chars().anyMatch(Character::isISOControl)) {
      throw new IllegalArgumentException("name contains a control character");
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("password is required");
    }
    if (password.length() > AdminAccounts.MAX_PASSWORD_LENGTH) {
      throw new IllegalArgumentException(
          "password is longer than " + AdminAccounts.MAX_PASSWORD_LENGTH + " characters");
    }
  }

  @Override
  public String toString() {
    return "LoginRequest[name=" + name + "]";
  }
}
