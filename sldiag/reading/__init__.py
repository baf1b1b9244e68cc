"""Reading captures: inputs found (files, folders, .gz, standard input), bytes decoded, lines
cleaned of terminal residue, large captures read streaming, and the lines split into devices
and command outputs."""
