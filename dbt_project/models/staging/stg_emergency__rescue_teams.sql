with source as (

    {{ current_rows('rescue_teams', ['team_id']) | indent(4) }}

),

renamed as (

    select
        cast(team_id as varchar) as team_id,
        cast(name as varchar) as name,
        cast(level as varchar) as level,
        cast(kind as varchar) as kind,
        cast(township as varchar) as township_code,
        cast(established as boolean) as established,
        cast(established_on as date) as established_on,
        cast(members as bigint) as members,
        cast(year(period_start) as integer) as year,
        {{ provenance_columns() }}
    from source

)

select * from renamed
