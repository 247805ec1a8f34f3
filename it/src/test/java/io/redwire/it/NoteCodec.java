package io.redwire.it;

import io.redwire.runtime.codec.Codec;
import io.redwire.runtime.codec.Input;
import io.redwire.runtime.codec.Output;

/** A user codec that cannot write a note whose text is {@code "unwritable"}. */
public final class NoteCodec implements Codec<Ledger.Note> {

  @Override
  public void write(Output out, Ledger.Note note) {
    if (note.text().equals("unwritable")) {
      throw new IllegalStateException("NoteCodec cannot write " + note);
    }
    out.writeString(note.text());
  }

  @Override
  public Ledger.Note read(Input in) {
    return new Ledger.Note(in.readString());
  }
}
