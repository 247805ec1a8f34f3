package io.redwire.it.names;

/** Fixes {@link Repo}'s types: the processor implements it with the inherited annotations. */
public interface AccountRepo extends Repo<AccountRepo.Account, Long> {

  record Account(long id, String owner) {}
}
