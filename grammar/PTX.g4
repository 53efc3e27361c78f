// PTX ISA 9.0 syntax for oxptx.
//
// The grammar is deliberately structural: an instruction is an opcode with any sequence of
// dot-modifiers followed by operands, and a declaration is any sequence of dot-attributes followed
// by declarators. Which modifiers/attributes are legal where, and what they mean, is decided by the
// instruction and modifier tables in src/ptx_parser (one source of truth, used by the checker, the
// later passes and docs/ptx-coverage.md). This keeps the grammar tolerant of the modifier orders
// nvcc really emits and lets misuse be reported as a semantic diagnostic with a precise position.
grammar PTX;

// ---------------------------------------------------------------- module structure

module : topLevel* EOF ;

topLevel
    : versionDirective
    | targetDirective
    | addressSizeDirective
    | fileDirective
    | sectionDirective
    | aliasDirective
    | pragmaDirective
    | functionDecl
    | variableDecl ';'
    ;

versionDirective     : VERSION FLOAT ;
targetDirective      : TARGET IDENT (',' IDENT)* ;
addressSizeDirective : ADDRESS_SIZE INT ;
fileDirective        : FILE INT STRING (',' INT)* ;
sectionDirective     : SECTION DOT_NAME '{' sectionItem* '}' ;
sectionItem          : ~'}' ;
aliasDirective       : ALIAS IDENT ',' IDENT ';' ;
pragmaDirective      : PRAGMA STRING (',' STRING)* ';' ;
locDirective         : LOC INT INT INT (',' locAttribute)* ;
locAttribute         : IDENT (IDENT (('+' | '-') INT)? | INT INT INT) ;

// `.visible .entry name (params) .maxntid 128,1,1 { ... }`, `.func (.param .b32 r) f (...) ;`
functionDecl : declAttribute* (ENTRY | FUNC) parameterList? IDENT parameterList? performanceDirective*
               (block | ';') ;
parameterList : '(' (parameter (',' parameter)*)? ')' ;
parameter     : declAttribute* declarator ;
performanceDirective
    : DOT_NAME (INT (',' INT)*)?
    | pragmaDirective
    ;

// `.global .align 4 .u32 a[2][2] = {{1,2},{3,4}}, b;`  `.reg .pred %p<4>;`
variableDecl  : declAttribute+ declarator (',' declarator)* ;
declAttribute : DOT_NAME
              | ALIGN INT
              | ATTRIBUTE '(' DOT_NAME (',' DOT_NAME)* ')'
              ;
declarator    : IDENT ('<' INT '>')? arrayDimension* ('=' initializer)? ;
arrayDimension: '[' expression? ']' ;
initializer   : '{' (initializer (',' initializer)*)? '}'
              | IDENT '=' (IDENT | INT) // .samplerref field: addr_mode_0 = clamp_to_edge
              | expression
              ;

// ---------------------------------------------------------------- function bodies

block : '{' statement* '}' ;

statement
    : instruction ';'
    | IDENT ':' labeledDirective?
    | variableDecl ';'
    | block
    | locDirective
    | pragmaDirective
    ;

labeledDirective
    : (BRANCHTARGETS | CALLTARGETS) IDENT (',' IDENT)* ';'
    | CALLPROTOTYPE parameterList? IDENT parameterList? performanceDirective* ';'
    ;

instruction : guard? IDENT (operand (',' operand)*)? ;
guard       : '@' '!'? IDENT ;

operand
    : '{' (operand (',' operand)*)? '}'        // vector operand {a, b, _, d}
    | '[' operand (',' operand)* ']'           // address [r+4], [tex, {x, y}]
    | '(' (operand (',' operand)*)? ')'        // call argument / return list
    | expression                               // register, symbol, immediate, !p, p|q
    ;

expression
    : primary                                                   # primaryExpr
    | op=('-' | '~' | '!') expression                           # unaryExpr
    | expression op=('*' | '/' | '%') expression                # binaryExpr
    | expression op=('+' | '-') expression                      # binaryExpr
    | expression op=('<<' | '>>') expression                    # binaryExpr
    | expression op='&' expression                              # binaryExpr
    | expression op='^' expression                              # binaryExpr
    | expression op='|' expression                              # binaryExpr
    ;

primary
    : INT
    | FLOAT
    | IDENT '(' IDENT ')'                      // generic(sym)
    | IDENT
    | '(' expression ')'
    ;

// ---------------------------------------------------------------- lexer

VERSION       : '.version' ;
TARGET        : '.target' ;
ADDRESS_SIZE  : '.address_size' ;
ENTRY         : '.entry' ;
FUNC          : '.func' ;
FILE          : '.file' ;
LOC           : '.loc' ;
SECTION       : '.section' ;
PRAGMA        : '.pragma' ;
ALIAS         : '.alias' ;
ALIGN         : '.align' ;
ATTRIBUTE     : '.attribute' ;
CALLPROTOTYPE : '.callprototype' ;
BRANCHTARGETS : '.branchtargets' ;
CALLTARGETS   : '.calltargets' ;

// Any other directive, state space, type or attribute: `.reg`, `.u32`, `.maxntid`, `.shared::cta`.
DOT_NAME : '.' [a-zA-Z_] [a-zA-Z0-9_$]* ('::' [a-zA-Z0-9_]+)* ;

// Floats first: `0f3F800000` must not lex as INT `0` + IDENT.
FLOAT
    : '0' [fF] HEX HEX HEX HEX HEX HEX HEX HEX
    | '0' [dD] HEX HEX HEX HEX HEX HEX HEX HEX HEX HEX HEX HEX HEX HEX HEX HEX
    | DIGIT+ '.' DIGIT* EXPONENT?
    | DIGIT+ EXPONENT
    ;
INT
    : '0' [xX] HEX+ 'U'?
    | '0' [bB] [01]+ 'U'?
    | DIGIT+ 'U'?
    ;

// Identifiers, including opcodes with their modifiers (`ld.global.nc.v4.f32`,
// `mbarrier.try_wait.parity.shared::cta.b64`) and special-register components (`%tid.x`).
IDENT
    : ([a-zA-Z] [a-zA-Z0-9_$]* | [_$%] [a-zA-Z0-9_$]+ | '_') ('.' [a-zA-Z0-9_]+ ('::' [a-zA-Z0-9_]+)*)*
    ;

STRING : '"' (~["\\\r\n] | '\\' .)* '"' ;

SEMI : ';' ; COMMA : ',' ; COLON : ':' ; LBRACE : '{' ; RBRACE : '}' ; LBRACK : '[' ; RBRACK : ']' ;
LPAREN : '(' ; RPAREN : ')' ; AT : '@' ; BANG : '!' ; PIPE : '|' ; PLUS : '+' ; MINUS : '-' ;
STAR : '*' ; SLASH : '/' ; PERCENT : '%' ; TILDE : '~' ; AMP : '&' ; CARET : '^' ; EQUAL : '=' ;
SHL : '<<' ; SHR : '>>' ; LT : '<' ; GT : '>' ;

LINE_COMMENT  : '//' ~[\r\n]* -> skip ;
BLOCK_COMMENT : '/*' .*? '*/' -> skip ;
WS            : [ \t\r\n]+ -> skip ;

fragment DIGIT    : [0-9] ;
fragment HEX      : [0-9a-fA-F] ;
fragment EXPONENT : [eE] [+-]? DIGIT+ ;
